import { type FormEvent, useState } from 'react';
import { shareItem, unshareItem } from '../api/content.ts';
import { getItemGroups } from '../api/item-groups.ts';
import type { GroupSummary, Item } from '../api/types.ts';
import { useAction } from '../lib/use-action.ts';
import { useAsync } from '../lib/use-async.ts';
import { ErrorAlert } from './error-alert.tsx';
import { Loading } from './loading.tsx';
import { ModalDialog } from './modal-dialog.tsx';
import { StatusMessage } from './status-message.tsx';
import { SubmitOrCancel } from './submit-or-cancel.tsx';

interface ShareDialogProps {
  item: Pick<Item, 'id' | 'title' | 'access' | 'owner'>;
  /** The caller's groups: the ones the item can be shared with. */
  groups: GroupSummary[];
  onClose(): void;
  onShared(message: string): void;
  /** A share was removed while the dialog stays open. */
  onChanged?(): void;
}

/**
 * Everyone / organisation, the groups the item is shared with now (each removable at once),
 * and the caller's other groups to add it to.
 */
export function ShareDialog({ item, groups, onClose, onShared, onChanged }: ShareDialogProps) {
  const [everyone, setEveryone] = useState(item.access === 'public');
  const [org, setOrg] = useState(item.access === 'org' || item.access === 'public');
  const [selected, setSelected] = useState<string[]>([]);
  const current = useAsync(() => getItemGroups(item.id), [item.id]);
  const [removing, setRemoving] = useState('');
  const [status, setStatus] = useState('');
  const { busy, error, setError, run } = useAction();

  const sharedIds = new Set((current.data ?? []).map((g) => g.id));
  // Offered once the current shares are known (all the caller's groups if they cannot be read).
  const addable = current.data || current.error ? groups.filter((g) => !sharedIds.has(g.id)) : [];

  function toggleGroup(id: string, on: boolean) {
    setSelected((list) => (on ? [...list, id] : list.filter((g) => g !== id)));
  }

  async function remove(group: GroupSummary) {
    setError(null);
    setStatus('');
    setRemoving(group.id);
    try {
      const notRemoved = await unshareItem(item.owner, item.id, [group.id]);
      if (notRemoved.length > 0)
        setError(
          new Error(
            `"${item.title}" could not be removed from ${group.title}: you do not manage that group.`,
          ),
        );
      else setStatus(`No longer shared with ${group.title}.`);
      current.reload();
      onChanged?.();
    } catch (err) {
      setError(err);
    } finally {
      setRemoving('');
    }
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    await run(async () => {
      const chosen = selected.filter((id) => !sharedIds.has(id));
      const answer = await shareItem(item.id, { everyone, org, groups: chosen });
      const failed = answer.notSharedWith ?? [];
      if (failed.length > 0) {
        const names = failed.map((id) => groups.find((g) => g.id === id)?.title ?? id);
        throw new Error(`Not shared with: ${names.join(', ')}.`);
      }
      onShared(`Sharing of "${item.title}" saved.`);
    });
  }

  return (
    <ModalDialog title={`Share "${item.title}"`} onClose={onClose}>
      <form onSubmit={submit} data-testid="share-form">
        <fieldset>
          <legend>Share with</legend>
          <label className="check">
            <input type="checkbox" checked={everyone} onChange={(e) => setEveryone(e.target.checked)} />
            Everyone (public)
          </label>
          <label className="check">
            <input type="checkbox" checked={org} onChange={(e) => setOrg(e.target.checked)} />
            My organization
          </label>
        </fieldset>
        <section aria-labelledby="current-shares-heading" className="share-current">
          <h3 id="current-shares-heading">Shared with these groups</h3>
          {current.loading && !current.data && <Loading />}
          <ErrorAlert error={current.error} />
          {current.data && current.data.length === 0 && <p className="muted">No groups.</p>}
          {current.data && current.data.length > 0 && (
            <ul className="list" data-testid="current-shares">
              {current.data.map((g) => (
                <li key={g.id} className="list-row" data-testid={`current-share-${g.id}`}>
                  <span>{g.title}</span>
                  <button
                    type="button"
                    className="danger"
                    aria-label={`Remove ${g.title}`}
                    disabled={removing !== ''}
                    onClick={() => remove(g)}
                  >
                    Remove
                  </button>
                </li>
              ))}
            </ul>
          )}
        </section>
        <fieldset>
          <legend>Add to groups</legend>
          {groups.length === 0 && <p className="muted">You are not a member of any group.</p>}
          {groups.length > 0 && current.data && addable.length === 0 && (
            <p className="muted">It is shared with every group you are a member of.</p>
          )}
          {addable.map((g) => (
            <label className="check" key={g.id}>
              <input
                type="checkbox"
                checked={selected.includes(g.id)}
                onChange={(e) => toggleGroup(g.id, e.target.checked)}
              />
              {g.title}
            </label>
          ))}
        </fieldset>
        <StatusMessage>{status}</StatusMessage>
        <ErrorAlert error={error} />
        <SubmitOrCancel
          submit="Save"
          disabled={busy}
          cancel={status ? 'Close' : 'Cancel'}
          onCancel={onClose}
        />
      </form>
    </ModalDialog>
  );
}
