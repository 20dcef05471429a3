import { useState } from 'react';
import { Link } from 'react-router';
import { type Collaboration, listCollaborations } from '../api/collaborations.ts';
import { ErrorAlert } from '../components/error-alert.tsx';
import { Loading } from '../components/loading.tsx';
import { Pager } from '../components/pager.tsx';
import { StatusMessage } from '../components/status-message.tsx';
import { formatDate } from '../lib/format.ts';
import { useAsync } from '../lib/use-async.ts';
import { pagePath } from '../router/paths.ts';
import { CollaborationAcceptForm } from './collaboration-accept-form.tsx';
import { CollaborationCreateForm } from './collaboration-create-form.tsx';
import { ORGANIZATION_PAGES } from './security-routes.ts';
import { SettingsLayout } from './settings-layout.tsx';

/**
 * Organization › Settings › Collaborations: the collaborations this portal hosts and those it
 * takes part in as a guest; Create collaboration, and Accept invitation.
 */
export function OrganizationCollaborationsPage() {
  return (
    <SettingsLayout title="Collaborations">
      <CollaborationsBody />
    </SettingsLayout>
  );
}

type Panel = 'none' | 'create' | 'accept';

function CollaborationsBody() {
  const [start, setStart] = useState(1);
  const list = useAsync(() => listCollaborations(start), [start]);
  const [panel, setPanel] = useState<Panel>('none');
  const [status, setStatus] = useState('');
  const all = list.data?.collaborations;
  const hosted = all?.filter((c) => c.isHost) ?? [];
  const joined = all?.filter((c) => !c.isHost) ?? [];

  return (
    <div className="stack">
      <StatusMessage>{status}</StatusMessage>
      <ErrorAlert error={list.error} />
      {list.loading && !all && <Loading />}
      {all && all.length === 0 && start === 1 && (
        <p data-testid="no-collaborations">
          No collaborations. Create one to share a group's items with other portals, or accept an invitation
          another portal sent you.
        </p>
      )}
      {hosted.length > 0 && (
        <CollaborationList label="Hosted by this portal" testId="hosted-collaborations" list={hosted} />
      )}
      {joined.length > 0 && (
        <CollaborationList label="Joined as a guest" testId="guest-collaborations" list={joined} />
      )}
      {list.data && (list.data.total > list.data.num || start > 1) && (
        <Pager
          start={list.data.start}
          num={list.data.num}
          total={list.data.total}
          nextStart={list.data.nextStart}
          onPage={setStart}
        />
      )}
      {panel === 'create' && (
        <section className="panel">
          <CollaborationCreateForm
            onCancel={() => setPanel('none')}
            onCreated={(_id, name) => {
              setPanel('none');
              setStatus(`Created collaboration ${name}.`);
              list.reload();
            }}
          />
        </section>
      )}
      {panel === 'accept' && (
        <section className="panel">
          <CollaborationAcceptForm onAccepted={list.reload} onClose={() => setPanel('none')} />
        </section>
      )}
      {panel === 'none' && (
        <div className="actions">
          <button type="button" onClick={() => setPanel('create')}>
            Create collaboration
          </button>
          <button type="button" onClick={() => setPanel('accept')}>
            Accept invitation
          </button>
        </div>
      )}
    </div>
  );
}

function CollaborationList({
  label,
  testId,
  list,
}: {
  label: string;
  testId: string;
  list: Collaboration[];
}) {
  return (
    <section className="stack" aria-label={label}>
      <h2>{label}</h2>
      <ul className="list" data-testid={testId}>
        {list.map((c) => (
          <li key={c.id} className="panel" data-testid="collaboration-row">
            <h3 className="wrap">
              <Link to={pagePath(ORGANIZATION_PAGES.collaboration, { id: c.id })}>{c.name}</Link>
            </h3>
            {c.description && <p className="wrap">{c.description}</p>}
            <p className="muted">
              {c.isHost ? 'Host: this portal' : <>Host: {c.hostPortalUrl}</>} ·{' '}
              {c.workspaces.length === 1 ? '1 workspace' : `${c.workspaces.length} workspaces`} · created{' '}
              {formatDate(c.created)}
            </p>
          </li>
        ))}
      </ul>
    </section>
  );
}
