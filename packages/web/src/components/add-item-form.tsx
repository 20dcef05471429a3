import { type FormEvent, useRef, useState } from 'react';
import { addItem, shareItem } from '../api/content.ts';
import { messageOf } from '../api/errors.ts';
import type { DefaultItemAccess } from '../api/types.ts';
import { ITEM_TYPES, SHARING_LEVELS } from '../lib/format.ts';
import { ErrorAlert } from './error-alert.tsx';
import { Field } from './field.tsx';

interface AddItemFormProps {
  username: string;
  /** The folder shown: the item goes there (null: the root folder). */
  folderId: string | null;
  /** The organisation's default sharing of new items (Organization › Settings). */
  defaultAccess: DefaultItemAccess;
  onAdded(id: string, title: string, warning?: string): void;
}

export function AddItemForm({ username, folderId, defaultAccess, onAdded }: AddItemFormProps) {
  const [title, setTitle] = useState('');
  const [type, setType] = useState<string>(ITEM_TYPES[0]);
  const [tags, setTags] = useState('');
  const [description, setDescription] = useState('');
  const [url, setUrl] = useState('');
  const [text, setText] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [access, setAccess] = useState<DefaultItemAccess>(defaultAccess);
  const fileInput = useRef<HTMLInputElement>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  function reset() {
    setTitle('');
    setTags('');
    setDescription('');
    setUrl('');
    setText('');
    setFile(null);
    setAccess(defaultAccess);
    if (fileInput.current) fileInput.current.value = '';
  }

  /** A new item is private; any other level is one share request after it is added. */
  async function applyAccess(id: string): Promise<string | undefined> {
    if (access === 'private') return undefined;
    try {
      await shareItem(id, { everyone: access === 'public', org: true, groups: [] });
      return undefined;
    } catch (err) {
      return `It stays private: sharing it failed (${messageOf(err)}).`;
    }
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    const sources = [url.trim(), text.trim(), file].filter(Boolean).length;
    if (!title.trim()) return setError(new Error('Give the item a title.'));
    if (sources > 1) return setError(new Error('Give either a URL, text, or a file — not several.'));
    setBusy(true);
    try {
      const answer = await addItem(
        username,
        {
          title: title.trim(),
          type,
          tags,
          description,
          url: url.trim(),
          text: text.trim() ? text : '',
          file: file ?? undefined,
        },
        folderId,
      );
      onAdded(answer.id, title.trim(), await applyAccess(answer.id));
      reset();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      className="stack form-grid"
      onSubmit={submit}
      aria-labelledby="add-item-heading"
      data-testid="add-item-form"
    >
      <h2 id="add-item-heading">New item</h2>
      <Field label="Title">
        {(id) => (
          <input id={id} name="title" required value={title} onChange={(e) => setTitle(e.target.value)} />
        )}
      </Field>
      <Field label="Type">
        {(id) => (
          <select id={id} name="type" value={type} onChange={(e) => setType(e.target.value)}>
            {ITEM_TYPES.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Tags">
        {(id) => (
          <input
            id={id}
            name="tags"
            placeholder="comma, separated"
            value={tags}
            onChange={(e) => setTags(e.target.value)}
          />
        )}
      </Field>
      <Field label="Description" className="wide">
        {(id) => (
          <textarea
            id={id}
            name="description"
            rows={3}
            value={description}
            onChange={(e) => setDescription(e.target.value)}
          />
        )}
      </Field>
      <p className="hint">Then give one of: a URL, text (for example web map JSON), or a file.</p>
      <Field label="URL">
        {(id) => <input id={id} name="url" type="url" value={url} onChange={(e) => setUrl(e.target.value)} />}
      </Field>
      <Field label="File">
        {(id) => (
          <input
            id={id}
            ref={fileInput}
            name="file"
            type="file"
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          />
        )}
      </Field>
      <Field label="Text" className="wide">
        {(id) => (
          <textarea id={id} name="text" rows={3} value={text} onChange={(e) => setText(e.target.value)} />
        )}
      </Field>
      <Field label="Share with">
        {(id) => (
          <select
            id={id}
            name="access"
            value={access}
            onChange={(e) => setAccess(e.target.value as DefaultItemAccess)}
          >
            {SHARING_LEVELS.map((l) => (
              <option key={l.value} value={l.value}>
                {l.label}
              </option>
            ))}
          </select>
        )}
      </Field>
      <ErrorAlert error={error} />
      <div className="actions">
        <button type="submit" disabled={busy}>
          Add item
        </button>
      </div>
    </form>
  );
}
