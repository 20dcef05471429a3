import { useState } from 'react';
import { listServers } from '../api/servers.ts';
import { ErrorAlert } from '../components/error-alert.tsx';
import { Loading } from '../components/loading.tsx';
import { StatusMessage } from '../components/status-message.tsx';
import { useAsync } from '../lib/use-async.ts';
import { ServerFederateForm } from './server-federate-form.tsx';
import { ServerRow } from './server-row.tsx';
import { SettingsLayout } from './settings-layout.tsx';

/** Organization › Settings › Servers: the GIS servers federated with the portal, and Add server. */
export function OrganizationServersPage() {
  return (
    <SettingsLayout title="Servers">
      <ServersBody />
    </SettingsLayout>
  );
}

function ServersBody() {
  const servers = useAsync(listServers, []);
  const [adding, setAdding] = useState(false);
  const [status, setStatus] = useState('');

  function changed(message: string) {
    setStatus(message);
    servers.reload();
  }

  const list = servers.data;
  return (
    <div className="stack">
      <StatusMessage>{status}</StatusMessage>
      <ErrorAlert error={servers.error} />
      {servers.loading && !list && <Loading />}
      {list && list.length === 0 && (
        <p data-testid="no-servers">
          No federated servers. Add a GIS server so that portal members sign in to it with their portal
          accounts and its services become items.
        </p>
      )}
      {list && list.length > 0 && (
        <ul className="list" aria-label="Federated servers">
          {list.map((s) => (
            <ServerRow key={`${s.id}:${s.serverRole}`} server={s} onChanged={changed} />
          ))}
        </ul>
      )}
      {adding ? (
        <section className="panel">
          <ServerFederateForm
            onCancel={() => setAdding(false)}
            onFederated={(s) => {
              setAdding(false);
              changed(`Federated ${s.name || s.url}.`);
            }}
          />
        </section>
      ) : (
        <div className="actions">
          <button type="button" onClick={() => setAdding(true)}>
            Add server
          </button>
        </div>
      )}
    </div>
  );
}
