import { type FormEvent, useState } from 'react';
import { shareItem } from '../api/content.ts';
import type { GroupSummary, Item } from '../api/types.ts';
import { ErrorAlert } from './error-alert.tsx';
import { ModalDialog } from './modal-dialog.tsx';

interface ShareDialogProps {
  item: Pick<Item, 'id' | 'title' | 'access'>;
  groups: GroupSummary[];
  onClose(): void;
  onShared(message: string): void;
}

export function ShareDialog({ item, groups, onClose, onShared }: ShareDialogProps) {
  const [everyone, setEveryone] = useState(item.access === 'public');
  const [org, setOrg] = useState(item.access === 'org' || item.access === 'public');
  const [selected, setSelected] = useState<string[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  function toggleGroup(id: string, on: boolean) {
    setSelected((current) => (on ? [...current, id] : current.filter((g) => g !== id)));
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const answer = await shareItem(item.id, { everyone, org, groups: selected });
      const failed = answer.notSharedWith ?? [];
      if (failed.length > 0) {
        const names = failed.map((id) => groups.find((g) => g.id === id)?.title ?? id);
        setError(new Error(`Not shared with: ${names.join(', ')}.`));
        return;
      }
      onShared(`Sharing of "${item.title}" saved.`);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
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
        <fieldset>
          <legend>Groups</legend>
          {groups.length === 0 && <p className="muted">You are not a member of any group.</p>}
          {groups.map((g) => (
            <label className="check" key={g.id}>
              <input
                type="checkbox"
                checked={selected.includes(g.id)}
                onChange={(e) => toggleGroup(g.id, e.target.checked)}
              />
              {g.title}
            </label>
          ))}
          {groups.length > 0 && <p className="hint">Groups the item is already shared with stay shared.</p>}
        </fieldset>
        <ErrorAlert error={error} />
        <div className="actions">
          <button type="submit" disabled={busy}>
            Save
          </button>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </ModalDialog>
  );
}
