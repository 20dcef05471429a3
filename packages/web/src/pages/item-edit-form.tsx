import { type FormEvent, useState } from 'react';
import { updateItem } from '../api/content.ts';
import type { Item } from '../api/types.ts';
import { ErrorAlert } from '../components/error-alert.tsx';
import { Field } from '../components/field.tsx';
import { SubmitOrCancel } from '../components/submit-or-cancel.tsx';
import { TextAreaField, TextField } from '../components/text-field.tsx';
import { formatTags } from '../lib/format.ts';
import { useAction } from '../lib/use-action.ts';

interface ItemEditFormProps {
  item: Item;
  onSaved(message: string): void;
  onCancel(): void;
}

/** Title, summary, description, tags and thumbnail of an item. */
export function ItemEditForm({ item, onSaved, onCancel }: ItemEditFormProps) {
  const [title, setTitle] = useState(item.title);
  const [snippet, setSnippet] = useState(item.snippet ?? '');
  const [description, setDescription] = useState(item.description ?? '');
  const [tags, setTags] = useState(formatTags(item.tags));
  const [thumbnail, setThumbnail] = useState<File | null>(null);
  const { busy, error, setError, run } = useAction();

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!title.trim()) return setError(new Error('An item needs a title.'));
    await run(async () => {
      await updateItem(item.owner, item.id, { title: title.trim(), snippet, description, tags }, thumbnail);
      onSaved(`Item "${title.trim()}" saved.`);
    });
  }

  return (
    <form
      className="stack panel"
      onSubmit={submit}
      aria-labelledby="edit-item-heading"
      data-testid="item-edit-form"
    >
      <h2 id="edit-item-heading">Edit item</h2>
      <TextField label="Title" required value={title} onChange={setTitle} />
      <TextField label="Summary" maxLength={2048} value={snippet} onChange={setSnippet} />
      <TextAreaField label="Description" rows={6} value={description} onChange={setDescription} />
      <TextField label="Tags" placeholder="comma, separated" value={tags} onChange={setTags} />
      <Field label="Thumbnail">
        {(id) => (
          <input
            id={id}
            type="file"
            accept="image/png,image/jpeg,image/gif"
            onChange={(e) => setThumbnail(e.target.files?.[0] ?? null)}
          />
        )}
      </Field>
      <p className="hint">
        A PNG, JPEG or GIF image of at most 1 MB; leave it empty to keep the current thumbnail.
      </p>
      <ErrorAlert error={error} />
      <SubmitOrCancel submit="Save" disabled={busy} onCancel={onCancel} />
    </form>
  );
}
