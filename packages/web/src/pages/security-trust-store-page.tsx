import { useState } from 'react';
import { getTrustStore } from '../api/security.ts';
import { ErrorAlert } from '../components/error-alert.tsx';
import { Loading } from '../components/loading.tsx';
import { StatusMessage } from '../components/status-message.tsx';
import { notifyCertificatesChanged } from '../lib/certificate-events.ts';
import { useAsync } from '../lib/use-async.ts';
import { SecurityCheckSite } from './security-check-site.tsx';
import { SecurityImportTrustForm } from './security-import-trust-form.tsx';
import { SecurityLayout } from './security-layout.tsx';
import { SecurityTrustRow } from './security-trust-row.tsx';

/** Organization › Settings › Security › Trust store: CAs the portal trusts when it calls other sites. */
export function SecurityTrustStorePage() {
  return (
    <SecurityLayout title="Trust store">
      <TrustStoreBody />
    </SecurityLayout>
  );
}

function TrustStoreBody() {
  const store = useAsync(getTrustStore, []);
  const [status, setStatus] = useState('');

  function changed(message: string) {
    setStatus(message);
    store.reload();
    notifyCertificatesChanged();
  }

  return (
    <>
      <section aria-labelledby="trust-heading">
        <h2 id="trust-heading">Trusted certificates</h2>
        <p className="hint">
          Certificate authorities the portal trusts, in addition to the system's, when it connects to other
          sites.
        </p>
        <StatusMessage>{status}</StatusMessage>
        <ErrorAlert error={store.error} />
        {store.loading && !store.data && <Loading />}
        {store.data && store.data.length === 0 && <p className="muted">No certificates imported yet.</p>}
        {store.data && store.data.length > 0 && (
          <table className="table cards-when-narrow" data-testid="trust-table">
            <caption className="visually-hidden">Trusted certificates</caption>
            <thead>
              <tr>
                <th scope="col">Alias</th>
                <th scope="col">Subject</th>
                <th scope="col">SHA-256 fingerprint</th>
                <th scope="col">Valid until</th>
                <th scope="col">Expiry</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {store.data.map((c) => (
                <SecurityTrustRow key={c.alias} cert={c} onChanged={changed} />
              ))}
            </tbody>
          </table>
        )}
      </section>
      <div className="panels">
        <section aria-label="Import a root or intermediate certificate" className="panel">
          <SecurityImportTrustForm onImported={changed} />
        </section>
        <section aria-label="Check a site" className="panel">
          <SecurityCheckSite onTrusted={() => changed('')} />
        </section>
      </div>
    </>
  );
}
