import { useState } from 'react';
import { getSslSettings } from '../api/security.ts';
import { ErrorAlert } from '../components/error-alert.tsx';
import { Loading } from '../components/loading.tsx';
import { StatusMessage } from '../components/status-message.tsx';
import { notifyCertificatesChanged } from '../lib/certificate-events.ts';
import { useAsync } from '../lib/use-async.ts';
import { SecurityCertificateRow } from './security-certificate-row.tsx';
import { SecurityGenerateForm } from './security-generate-form.tsx';
import { SecurityImportServerForm } from './security-import-server-form.tsx';
import { SecurityLayout } from './security-layout.tsx';

/** Organization › Settings › Security › Certificates: the portal's certificates with private keys. */
export function SecurityCertificatesPage() {
  return (
    <SecurityLayout title="Certificates">
      <CertificatesBody />
    </SecurityLayout>
  );
}

function CertificatesBody() {
  const settings = useAsync(getSslSettings, []);
  const [status, setStatus] = useState('');

  function changed(message: string) {
    setStatus(message);
    settings.reload();
    notifyCertificatesChanged();
  }

  const data = settings.data;
  return (
    <>
      <section aria-labelledby="certificates-heading">
        <h2 id="certificates-heading">Server certificates</h2>
        <p className="hint">
          Certificates with private keys the portal can serve. The one in use answers HTTPS connections.
        </p>
        <StatusMessage>{status}</StatusMessage>
        <ErrorAlert error={settings.error} />
        {settings.loading && !data && <Loading />}
        {data && data.certificates.length === 0 && <p className="muted">No certificates.</p>}
        {data && data.certificates.length > 0 && (
          <table className="table cards-when-narrow" data-testid="certificate-table">
            <caption className="visually-hidden">Server certificates</caption>
            <thead>
              <tr>
                <th scope="col">Alias</th>
                <th scope="col">Subject</th>
                <th scope="col">Issuer</th>
                <th scope="col">Valid until</th>
                <th scope="col">Expiry</th>
                <th scope="col">In use</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {data.certificates.map((c) => (
                <SecurityCertificateRow
                  key={c.alias}
                  cert={c}
                  isWebServer={c.alias === data.webServerCertificateAlias}
                  onChanged={changed}
                />
              ))}
            </tbody>
          </table>
        )}
      </section>
      <div className="panels">
        <section aria-label="Generate a certificate" className="panel">
          <SecurityGenerateForm onGenerated={(alias) => changed(`Certificate "${alias}" generated.`)} />
        </section>
        <section aria-label="Import a certificate with its key" className="panel">
          <SecurityImportServerForm onImported={(alias) => changed(`Certificate "${alias}" imported.`)} />
        </section>
      </div>
    </>
  );
}
