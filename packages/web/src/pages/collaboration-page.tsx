import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { leaveCollaboration, listParticipants, toldText } from '../api/collaboration-exchange.ts';
import {
  type Collaboration,
  deleteCollaboration,
  formatAccessMode,
  getCollaboration,
} from '../api/collaborations.ts';
import { ConfirmButton } from '../components/confirm-button.tsx';
import { ErrorAlert } from '../components/error-alert.tsx';
import { Loading } from '../components/loading.tsx';
import { StatusMessage } from '../components/status-message.tsx';
import { formatDate } from '../lib/format.ts';
import { useAction } from '../lib/use-action.ts';
import { useAsync } from '../lib/use-async.ts';
import { pagePath } from '../router/paths.ts';
import { CollaborationDeletePolicy } from './collaboration-delete-policy.tsx';
import { CollaborationHostTools } from './collaboration-host-tools.tsx';
import { CollaborationInfoForm } from './collaboration-info-form.tsx';
import { CollaborationParticipants } from './collaboration-participants.tsx';
import { CollaborationResponseDownload } from './collaboration-response-download.tsx';
import { CollaborationWorkspaces } from './collaboration-workspaces.tsx';
import { ORGANIZATION_PAGES } from './security-routes.ts';
import { SettingsLayout } from './settings-layout.tsx';

/**
 * Organization › Settings › Collaborations › one collaboration (?id=): what it is, its
 * workspaces and participants; the host invites, imports responses and deletes; a guest
 * downloads its response file and leaves.
 */
export function CollaborationPage() {
  const id = useSearchParams()[0].get('id') ?? '';
  const collaboration = useAsync(
    () => (id ? getCollaboration(id) : Promise.reject(new Error('No collaboration id in the address.'))),
    [id],
  );
  const data = collaboration.data?.id === id ? collaboration.data : null;
  return (
    <SettingsLayout title={data ? data.name : 'Collaboration'} detail={data ? data.name : 'Collaboration'}>
      <p>
        <Link to={pagePath(ORGANIZATION_PAGES.collaborations)}>All collaborations</Link>
      </p>
      <ErrorAlert error={collaboration.error} />
      {collaboration.loading && !data && <Loading />}
      {data && <CollaborationBody collaboration={data} reload={collaboration.reload} />}
    </SettingsLayout>
  );
}

function CollaborationBody({ collaboration, reload }: { collaboration: Collaboration; reload(): void }) {
  const [status, setStatus] = useState('');
  const [editing, setEditing] = useState(false);
  /** Bumped when something changed that the lists below show. */
  const [version, setVersion] = useState(0);
  const action = useAction();
  const navigate = useNavigate();
  const c = collaboration;
  // A guest's partnership with the host: once it ended, nothing is linked or synced any more.
  const partners = useAsync(
    () => (c.isHost ? Promise.resolve([]) : listParticipants(c.id)),
    [c.id, c.isHost, version],
  );
  const hostState = partners.data?.find((p) => p.role === 'host')?.state;
  const ended = hostState !== undefined && hostState !== 'active';

  function changed(message: string) {
    setStatus(message);
    setVersion((v) => v + 1);
    reload();
  }

  return (
    <div className="stack">
      <StatusMessage>{status}</StatusMessage>
      <ErrorAlert error={action.error} />
      {editing ? (
        <section className="panel">
          <CollaborationInfoForm
            collaboration={c}
            onCancel={() => setEditing(false)}
            onSaved={(name) => {
              setEditing(false);
              changed(`Saved collaboration ${name}.`);
            }}
          />
        </section>
      ) : (
        <section className="stack" aria-label="About" data-testid="collaboration-summary">
          {c.description && <p className="wrap">{c.description}</p>}
          <dl className="details">
            <div>
              <dt>Role of this portal</dt>
              <dd data-testid="collaboration-role">{c.isHost ? 'Host' : 'Guest'}</dd>
            </div>
            <div>
              <dt>Host</dt>
              <dd className="wrap">{c.isHost ? 'This portal' : c.hostPortalUrl}</dd>
            </div>
            {c.hostContact.email && (
              <div>
                <dt>Host contact</dt>
                <dd className="wrap">
                  {[c.hostContact.firstname, c.hostContact.lastname].filter(Boolean).join(' ')}{' '}
                  {c.hostContact.email}
                </dd>
              </div>
            )}
            {c.isHost && c.accessMode && (
              <div>
                <dt>This portal's access</dt>
                <dd data-testid="collaboration-access">{formatAccessMode(c.accessMode)}</dd>
              </div>
            )}
            <div>
              <dt>Created</dt>
              <dd>{formatDate(c.created)}</dd>
            </div>
          </dl>
          {c.isHost && (
            <div className="actions">
              <button type="button" onClick={() => setEditing(true)}>
                Edit name and description
              </button>
            </div>
          )}
        </section>
      )}
      <CollaborationWorkspaces collaboration={c} ended={ended} onChanged={changed} />
      {c.isHost && <CollaborationHostTools collaboration={c} version={version} onChanged={changed} />}
      <CollaborationParticipants collaboration={c} version={version} onChanged={changed} />
      {!c.isHost && <GuestTools collaboration={c} version={version} onChanged={changed} />}
      {!ended && (
        <CollaborationDeletePolicy
          collaborationId={c.id}
          policy={{
            deleteContributedItems: c.deleteContributedItems,
            deleteReceivedItems: c.deleteReceivedItems,
          }}
          onSaved={setStatus}
        />
      )}
      {c.isHost && (
        <section className="stack" aria-label="Delete collaboration">
          <div className="actions">
            <ConfirmButton
              label="Delete collaboration"
              question={`Delete ${c.name}, its workspaces, invitations and participants?`}
              confirmLabel="Delete"
              onConfirm={async () => {
                const ok = await action.run(() => deleteCollaboration(c.id));
                if (ok) navigate(pagePath(ORGANIZATION_PAGES.collaborations));
              }}
            />
          </div>
        </section>
      )}
    </div>
  );
}

interface GuestToolsProps {
  collaboration: Collaboration;
  version: number;
  onChanged(message: string): void;
}

/** A guest's: the response file for the host (again), and Leave. */
function GuestTools({ collaboration, version, onChanged }: GuestToolsProps) {
  const navigate = useNavigate();
  const participants = useAsync(() => listParticipants(collaboration.id), [collaboration.id, version]);
  const action = useAction();
  const host = participants.data?.find((p) => p.role === 'host');
  const active = host?.state === 'active';
  return (
    <section className="stack" aria-labelledby="guest-heading">
      <h2 id="guest-heading">This portal's participation</h2>
      <ErrorAlert error={participants.error ?? action.error} />
      {host && !active && (
        <>
          <p data-testid="left-collaboration">
            This portal no longer takes part in it. Deleting its record removes the workspaces, links, sync
            history and schedules here; items kept stay as they are.
          </p>
          <div className="actions">
            <ConfirmButton
              label="Delete this portal's record"
              question={`Delete this portal's record of ${collaboration.name}?`}
              confirmLabel="Delete record"
              onConfirm={async () => {
                const ok = await action.run(() => deleteCollaboration(collaboration.id));
                if (ok) navigate(pagePath(ORGANIZATION_PAGES.collaborations));
              }}
            />
          </div>
        </>
      )}
      {active && (
        <>
          <p className="hint">
            The host imports this portal's response file once; download it again if the host has not received
            it.
          </p>
          <CollaborationResponseDownload collaborationId={collaboration.id} />
          <div className="actions">
            <ConfirmButton
              label="Leave collaboration"
              question={`Leave ${collaboration.name}? The host is told, and the partnership ends on both sides.`}
              confirmLabel="Leave"
              onConfirm={async () => {
                await action.run(async () => {
                  const r = await leaveCollaboration(collaboration.id);
                  onChanged(`Left ${collaboration.name}. ${toldText(r, 'The host')}`);
                });
              }}
            />
          </div>
        </>
      )}
    </section>
  );
}
