import { type FormEvent, useState } from 'react';
import { moveItem } from '../api/content.ts';
import type { Folder, Item } from '../api/types.ts';
import { useAction } from '../lib/use-action.ts';
import { ErrorAlert } from './error-alert.tsx';
import { Field } from './field.tsx';
import { ModalDialog } from './modal-dialog.tsx';
import { SubmitOrCancel } from './submit-or-cancel.tsx';

interface MoveDialogProps {
  item: Pick<Item, 'id' | 'title' | 'owner' | 'ownerFolder'>;
  folders: Folder[];
  onClose(): void;
  onMoved(message: string): void;
}

const ROOT = '/';

/** Moves an item to another of its owner's folders, or to the root folder. */
export function MoveDialog({ item, folders, onClose, onMoved }: MoveDialogProps) {
  const here = item.ownerFolder || ROOT;
  const targets = [{ id: ROOT, title: `${item.owner} (root folder)` }, ...folders].filter(
    (f) => f.id !== here,
  );
  const [target, setTarget] = useState(targets[0]?.id ?? '');
  const { busy, error, run } = useAction();

  async function submit(event: FormEvent) {
    event.preventDefault();
    await run(async () => {
      await moveItem(item.owner, item.id, target);
      const name = targets.find((f) => f.id === target)?.title ?? target;
      onMoved(`"${item.title}" moved to ${name}.`);
    });
  }

  return (
    <ModalDialog title={`Move "${item.title}"`} onClose={onClose}>
      <form className="stack" onSubmit={submit} data-testid="move-form">
        {targets.length === 0 ? (
          <p className="muted">There is no other folder: create one first.</p>
        ) : (
          <Field label="Move to folder">
            {(id) => (
              <select id={id} value={target} onChange={(e) => setTarget(e.target.value)}>
                {targets.map((f) => (
                  <option key={f.id} value={f.id}>
                    {f.title}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        <ErrorAlert error={error} />
        <SubmitOrCancel submit="Move" disabled={busy || targets.length === 0} onCancel={onClose} />
      </form>
    </ModalDialog>
  );
}
