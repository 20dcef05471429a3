import { useState } from 'react';
import { listParticipants, removeParticipant, toldText } from '../api/collaboration-exchange.ts';
import { type Collaboration, formatAccessMode, type Participant } from '../api/collaborations.ts';
import { ConfirmButton } from '../components/confirm-button.tsx';
import { ErrorAlert } from '../components/error-alert.tsx';
import { Loading } from '../components/loading.tsx';
import { StatusBadge } from '../components/status-badge.tsx';
import { formatDate } from '../lib/format.ts';
import type { BadgeLook } from '../lib/run-format.ts';
import { useAction } from '../lib/use-action.ts';
import { useAsync } from '../lib/use-async.ts';
import { CollaborationAccessModesForm } from './collaboration-access-modes-form.tsx';

const STATE_LOOK: Record<string, BadgeLook> = {
  active: { label: 'Active', kind: 'ok' },
  removed: { label: 'Removed', kind: 'bad' },
};

interface CollaborationParticipantsProps {
  collaboration: Collaboration;
  version: number;
  onChanged(message: string): void;
}

/** The partner portals as this portal knows them (the host, or the guests); the host sets a guest's access modes and removes it. */
export function CollaborationParticipants({
  collaboration,
  version,
  onChanged,
}: CollaborationParticipantsProps) {
  const participants = useAsync(() => listParticipants(collaboration.id), [collaboration.id, version]);
  const action = useAction();
  /** The participant whose access modes are being changed. */
  const [editing, setEditing] = useState<string | null>(null);
  const names = new Map(collaboration.workspaces.map((w) => [w.id, w.name]));
  const list = participants.data;

  return (
    <section className="stack" aria-labelledby="participants-heading">
      <h2 id="participants-heading">Participants</h2>
      <ErrorAlert error={participants.error ?? action.error} />
      {participants.loading && !list && <Loading />}
      {list && list.length === 0 && (
        <p className="muted" data-testid="no-participants">
          No participants yet: a guest appears here once its response is imported.
        </p>
      )}
      {list && list.length > 0 && (
        <ul className="list" data-testid="participants">
          {list.map((p: Participant) => (
            <li
              key={p.participantId}
              className="panel stack"
              data-testid="participant-row"
              aria-label={p.portalUrl}
            >
              <p>
                <strong className="wrap">{p.portalUrl}</strong> ({p.role === 'host' ? 'host' : 'guest'}
                {p.name ? `, ${p.name}` : ''}){' '}
                <StatusBadge looks={STATE_LOOK} value={p.state} testId="participant-state" />
              </p>
              <dl className="details">
                <div>
                  <dt>URL</dt>
                  <dd className="wrap" data-testid="participant-url">
                    {p.portalUrl}
                  </dd>
                </div>
                <div>
                  <dt>Portal id</dt>
                  <dd className="wrap">{p.participantId}</dd>
                </div>
                {Object.keys(p.accessModes).length > 0 && (
                  <div>
                    <dt>Access</dt>
                    <dd>
                      {Object.entries(p.accessModes)
                        .map(([id, mode]) => `${names.get(id) ?? id}: ${formatAccessMode(mode)}`)
                        .join(' · ')}
                    </dd>
                  </div>
                )}
                {Object.keys(p.linkedGroups ?? {}).length > 0 && (
                  <div>
                    <dt>Linked groups</dt>
                    <dd className="wrap" data-testid="participant-linked-groups">
                      {Object.entries(p.linkedGroups)
                        .map(([id, g]) => `${names.get(id) ?? id}: ${g.title}`)
                        .join(' · ')}
                    </dd>
                  </div>
                )}
                {p.contact.email && (
                  <div>
                    <dt>Contact</dt>
                    <dd className="wrap">
                      {[p.contact.firstname, p.contact.lastname].filter(Boolean).join(' ')} {p.contact.email}
                    </dd>
                  </div>
                )}
                <div>
                  <dt>Trusted certificate</dt>
                  <dd>
                    <code className="fingerprint">{p.certificateFingerprint}</code>
                  </dd>
                </div>
                <div>
                  <dt>Since</dt>
                  <dd>{formatDate(p.created)}</dd>
                </div>
              </dl>
              {collaboration.isHost &&
                p.role === 'guest' &&
                p.state === 'active' &&
                (editing === p.participantId ? (
                  <CollaborationAccessModesForm
                    collaboration={collaboration}
                    participant={p}
                    onCancel={() => setEditing(null)}
                    onSaved={(message) => {
                      setEditing(null);
                      participants.reload();
                      onChanged(message);
                    }}
                  />
                ) : (
                  <div className="actions">
                    <button
                      type="button"
                      aria-label={`Access modes of ${p.portalUrl}`}
                      onClick={() => setEditing(p.participantId)}
                    >
                      Access modes
                    </button>
                    <ConfirmButton
                      label="Remove"
                      ariaLabel={`Remove ${p.portalUrl}`}
                      question={`Remove ${p.portalUrl} from the collaboration? Its calls are refused from now on.`}
                      confirmLabel="Remove participant"
                      onConfirm={async () => {
                        await action.run(async () => {
                          const r = await removeParticipant(collaboration.id, p.participantId);
                          participants.reload();
                          onChanged(`Removed ${p.portalUrl}. ${toldText(r, 'It')}`);
                        });
                      }}
                    />
                  </div>
                ))}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
