import { useState } from 'react';
import {
  type Invitation,
  invalidateInvitation,
  listInvitations,
  refreshInvitation,
} from '../api/collaboration-exchange.ts';
import { type Collaboration, formatAccessMode } from '../api/collaborations.ts';
import { ConfirmButton } from '../components/confirm-button.tsx';
import { ErrorAlert } from '../components/error-alert.tsx';
import { Loading } from '../components/loading.tsx';
import { Pager } from '../components/pager.tsx';
import { StatusBadge } from '../components/status-badge.tsx';
import { formatDate } from '../lib/format.ts';
import type { BadgeLook } from '../lib/run-format.ts';
import { saveTextFile } from '../lib/save-file.ts';
import { useAction } from '../lib/use-action.ts';
import { useAsync } from '../lib/use-async.ts';

const INVITATION_LOOK: Record<string, BadgeLook> = {
  pending: { label: 'Pending', kind: 'info' },
  accepted: { label: 'Accepted, response not imported', kind: 'warn' },
  completed: { label: 'Completed', kind: 'ok' },
  invalidated: { label: 'Invalidated', kind: 'bad' },
  expired: { label: 'Expired', kind: 'bad' },
};

interface CollaborationInvitationsProps {
  collaboration: Collaboration;
  /** Changes when the page made an invitation, so that the list is read again. */
  version: number;
  onChanged(message: string): void;
}

/** The host's invitations: whom, which access, until when, their state; Invalidate, and Refresh (a new file). */
export function CollaborationInvitations({
  collaboration,
  version,
  onChanged,
}: CollaborationInvitationsProps) {
  const [start, setStart] = useState(1);
  const invitations = useAsync(
    () => listInvitations(collaboration.id, start),
    [collaboration.id, version, start],
  );
  const action = useAction();
  const names = new Map(collaboration.workspaces.map((w) => [w.id, w.name]));
  const list = invitations.data?.collaborationInvitations;

  function changed(message: string) {
    invitations.reload();
    onChanged(message);
  }

  return (
    <section className="stack" aria-labelledby="invitations-heading">
      <h2 id="invitations-heading">Invitations</h2>
      <ErrorAlert error={invitations.error ?? action.error} />
      {invitations.loading && !list && <Loading />}
      {list && list.length === 0 && start === 1 && <p className="muted">No invitations yet.</p>}
      {list && list.length > 0 && (
        <ul className="list" data-testid="invitations">
          {list.map((inv: Invitation) => {
            const open = inv.status === 'pending' || inv.status === 'expired';
            return (
              <li
                key={inv.id}
                className="panel stack"
                data-testid="invitation-row"
                aria-label={inv.guestPortalUrl}
              >
                <p>
                  <span className="wrap">{inv.guestPortalUrl}</span>{' '}
                  <StatusBadge looks={INVITATION_LOOK} value={inv.status} testId="invitation-status" />
                </p>
                <p className="muted">
                  {Object.entries(inv.accessModes)
                    .map(([id, mode]) => `${names.get(id) ?? id}: ${formatAccessMode(mode)}`)
                    .join(' · ')}{' '}
                  · {inv.status === 'expired' ? 'expired' : 'valid until'} {formatDate(inv.expiration)}
                </p>
                {open && (
                  <div className="actions">
                    <button
                      type="button"
                      disabled={action.busy}
                      aria-label={`Refresh the invitation of ${inv.guestPortalUrl}`}
                      onClick={() =>
                        action.run(async () => {
                          const file = await refreshInvitation(collaboration.id, inv.id);
                          saveTextFile(file.filename, file.text);
                          changed(
                            `Refreshed the invitation of ${inv.guestPortalUrl} and downloaded the new file ${file.filename}: the one sent before no longer works.`,
                          );
                        })
                      }
                    >
                      Refresh (new file)
                    </button>
                    {inv.status === 'pending' && (
                      <ConfirmButton
                        label="Invalidate"
                        ariaLabel={`Invalidate the invitation of ${inv.guestPortalUrl}`}
                        question={`Invalidate the invitation of ${inv.guestPortalUrl}? Its file can no longer be accepted.`}
                        confirmLabel="Invalidate"
                        onConfirm={async () => {
                          await action.run(async () => {
                            await invalidateInvitation(collaboration.id, inv.id);
                            changed(`Invalidated the invitation of ${inv.guestPortalUrl}.`);
                          });
                        }}
                      />
                    )}
                  </div>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {invitations.data && (invitations.data.total > invitations.data.num || start > 1) && (
        <Pager
          start={invitations.data.start}
          num={invitations.data.num}
          total={invitations.data.total}
          nextStart={invitations.data.nextStart}
          onPage={setStart}
        />
      )}
    </section>
  );
}
