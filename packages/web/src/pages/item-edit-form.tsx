import { type FormEvent, useState } from 'react';
import { updateItem } from '../api/content.ts';
import type { Item } from '../api/types.ts';
import { ErrorAlert } from '../components/error-alert.tsx';
import { Field } from '../components/field.tsx';
import { formatTags } from '../lib/format.ts';

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
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    if (!title.trim()) return setError(new Error('An item needs a title.'));
    setBusy(true);
    try {
      await updateItem(item.owner, item.id, { title: title.trim(), snippet, description, tags }, thumbnail);
      onSaved(`Item "${title.trim()}" saved.`);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      className="stack panel"
      onSubmit={submit}
      aria-labelledby="edit-item-heading"
      data-testid="item-edit-form"
    >
      <h2 id="edit-item-heading">Edit item</h2>
      <Field label="Title">
        {(id) => <input id={id} required value={title} onChange={(e) => setTitle(e.target.value)} />}
      </Field>
      <Field label="Summary">
        {(id) => (
          <input id={id} maxLength={2048} value={snippet} onChange={(e) => setSnippet(e.target.value)} />
        )}
      </Field>
      <Field label="Description">
        {(id) => (
          <textarea id={id} rows={6} value={description} onChange={(e) => setDescription(e.target.value)} />
        )}
      </Field>
      <Field label="Tags">
        {(id) => (
          <input
            id={id}
            placeholder="comma, separated"
            value={tags}
            onChange={(e) => setTags(e.target.value)}
          />
        )}
      </Field>
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
      <div className="actions">
        <button type="submit" disabled={busy}>
          Save
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
