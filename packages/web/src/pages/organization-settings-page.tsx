import { useState } from 'react';
import { getPortalSelf } from '../api/portal.ts';
import { ErrorAlert } from '../components/error-alert.tsx';
import { Loading } from '../components/loading.tsx';
import { StatusMessage } from '../components/status-message.tsx';
import { useAsync } from '../lib/use-async.ts';
import { OrganizationSettingsForm } from './organization-settings-form.tsx';
import { SettingsLayout } from './settings-layout.tsx';

/** Organization › Settings: name, description, token lifetimes, default sharing of new items, the basemap of item maps. */
export function OrganizationSettingsPage() {
  return (
    <SettingsLayout title="Settings">
      <SettingsBody />
    </SettingsLayout>
  );
}

function SettingsBody() {
  const portal = useAsync(getPortalSelf, []);
  const [status, setStatus] = useState('');

  return (
    <section className="panel narrow-panel">
      <StatusMessage>{status}</StatusMessage>
      <ErrorAlert error={portal.error} />
      {portal.loading && !portal.data && <Loading />}
      {portal.data && (
        <OrganizationSettingsForm
          key={JSON.stringify(portal.data)}
          portal={portal.data}
          onSaved={(message) => {
            setStatus(message);
            portal.reload();
          }}
        />
      )}
    </section>
  );
}
