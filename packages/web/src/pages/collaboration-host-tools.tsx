import { useState } from 'react';
import type { Collaboration } from '../api/collaborations.ts';
import { CollaborationImportResponse } from './collaboration-import-response.tsx';
import { CollaborationInvitations } from './collaboration-invitations.tsx';
import { CollaborationInviteForm } from './collaboration-invite-form.tsx';

interface CollaborationHostToolsProps {
  collaboration: Collaboration;
  version: number;
  onChanged(message: string): void;
}

/** The host's side of the trust exchange: Invite a participant, the invitations, Import a response. */
export function CollaborationHostTools({ collaboration, version, onChanged }: CollaborationHostToolsProps) {
  const [panel, setPanel] = useState<'none' | 'invite' | 'import'>('none');
  return (
    <>
      <CollaborationInvitations collaboration={collaboration} version={version} onChanged={onChanged} />
      {panel === 'invite' && (
        <section className="panel">
          <CollaborationInviteForm
            collaboration={collaboration}
            onCancel={() => setPanel('none')}
            onInvited={(filename) => {
              setPanel('none');
              onChanged(
                `Downloaded the invitation file ${filename}. Send it to the guest portal's administrator, and import the response file they send back.`,
              );
            }}
          />
        </section>
      )}
      {panel === 'import' && (
        <section className="panel">
          <CollaborationImportResponse
            collaboration={collaboration}
            onCancel={() => setPanel('none')}
            onImported={(participantId) => {
              setPanel('none');
              onChanged(`Imported the response: portal ${participantId} is now a participant.`);
            }}
          />
        </section>
      )}
      {panel === 'none' && (
        <div className="actions">
          <button type="button" onClick={() => setPanel('invite')}>
            Invite participant
          </button>
          <button type="button" onClick={() => setPanel('import')}>
            Import response
          </button>
        </div>
      )}
    </>
  );
}
