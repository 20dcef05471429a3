import { useState } from 'react';
import { getSslSettings } from '../api/security.ts';
import { ErrorAlert } from '../components/error-alert.tsx';
import { Loading } from '../components/loading.tsx';
import { StatusMessage } from '../components/status-message.tsx';
import { useAsync } from '../lib/use-async.ts';
import { SecurityHttpsForm } from './security-https-form.tsx';
import { SecurityLayout } from './security-layout.tsx';

/** Organization › Settings › Security › HTTPS settings. */
export function SecurityHttpsPage() {
  return (
    <SecurityLayout title="HTTPS settings">
      <HttpsBody />
    </SecurityLayout>
  );
}

function HttpsBody() {
  const settings = useAsync(getSslSettings, []);
  const [status, setStatus] = useState('');

  function saved(message: string) {
    setStatus(message);
    settings.reload();
  }

  return (
    <section className="panel narrow-panel">
      <StatusMessage>{status}</StatusMessage>
      <ErrorAlert error={settings.error} />
      {settings.loading && !settings.data && <Loading />}
      {settings.data && (
        <SecurityHttpsForm key={JSON.stringify(settings.data)} settings={settings.data} onSaved={saved} />
      )}
    </section>
  );
}
