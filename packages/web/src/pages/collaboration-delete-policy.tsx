import { type FormEvent, useState } from 'react';
import { type ItemDeletePolicy, updateItemDeletePolicy } from '../api/collaboration-sync.ts';
import { ErrorAlert } from '../components/error-alert.tsx';
import { useAction } from '../lib/use-action.ts';

interface CollaborationDeletePolicyProps {
  collaborationId: string;
  /** The policy in force, as collaborations/<id> answers it. */
  policy: ItemDeletePolicy;
  onSaved(message: string): void;
}

/**
 * This portal's item delete policy (updateItemDeletePolicy): what happens to items when a
 * participant leaves or the collaboration is deleted. Ordinary unshares follow each group
 * link's setting instead.
 */
export function CollaborationDeletePolicy({
  collaborationId,
  policy,
  onSaved,
}: CollaborationDeletePolicyProps) {
  const [contributed, setContributed] = useState(policy.deleteContributedItems);
  const [received, setReceived] = useState(policy.deleteReceivedItems);
  const { busy, error, run } = useAction();

  function submit(event: FormEvent) {
    event.preventDefault();
    void run(async () => {
      const saved = await updateItemDeletePolicy(collaborationId, {
        deleteContributedItems: contributed,
        deleteReceivedItems: received,
      });
      setContributed(saved.deleteContributedItems);
      setReceived(saved.deleteReceivedItems);
      onSaved('Saved the item delete policy.');
    });
  }

  return (
    <form className="stack" onSubmit={submit} aria-labelledby="delete-policy-heading">
      <h2 id="delete-policy-heading">When a partnership ends</h2>
      <p className="hint">
        When a participant leaves or is removed, or the collaboration is deleted. Items kept are marked no
        longer synced.
      </p>
      <label className="check">
        <input type="checkbox" checked={contributed} onChange={(e) => setContributed(e.target.checked)} />
        Partners delete the items this portal sent them
      </label>
      <label className="check">
        <input type="checkbox" checked={received} onChange={(e) => setReceived(e.target.checked)} />
        This portal deletes the items it received
      </label>
      <ErrorAlert error={error} />
      <div className="actions">
        <button type="submit" disabled={busy}>
          {busy ? 'Saving…' : 'Save delete policy'}
        </button>
      </div>
    </form>
  );
}
