import { type FormEvent, useRef, useState } from 'react';
import { addItem, shareItem } from '../api/content.ts';
import { messageOf } from '../api/errors.ts';
import type { DefaultItemAccess } from '../api/types.ts';
import { ITEM_TYPES } from '../lib/format.ts';
import { useAction } from '../lib/use-action.ts';
import { ErrorAlert } from './error-alert.tsx';
import { Field } from './field.tsx';
import { SharingLevelSelect } from './sharing-level-select.tsx';
import { TextAreaField, TextField } from './text-field.tsx';

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
  const { busy, error, setError, run } = useAction();

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
    const sources = [url.trim(), text.trim(), file].filter(Boolean).length;
    if (!title.trim()) return setError(new Error('Give the item a title.'));
    if (sources > 1) return setError(new Error('Give either a URL, text, or a file — not several.'));
    await run(async () => {
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
    });
  }

  return (
    <form
      className="stack form-grid"
      onSubmit={submit}
      aria-labelledby="add-item-heading"
      data-testid="add-item-form"
    >
      <h2 id="add-item-heading">New item</h2>
      <TextField label="Title" name="title" required value={title} onChange={setTitle} />
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
      <TextField label="Tags" name="tags" placeholder="comma, separated" value={tags} onChange={setTags} />
      <TextAreaField
        label="Description"
        className="wide"
        name="description"
        rows={3}
        value={description}
        onChange={setDescription}
      />
      <p className="hint">Then give one of: a URL, text (for example web map JSON), or a file.</p>
      <TextField label="URL" name="url" type="url" value={url} onChange={setUrl} />
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
      <TextAreaField label="Text" className="wide" name="text" rows={3} value={text} onChange={setText} />
      <SharingLevelSelect label="Share with" name="access" value={access} onChange={setAccess} />
      <ErrorAlert error={error} />
      <div className="actions">
        <button type="submit" disabled={busy}>
          Add item
        </button>
      </div>
    </form>
  );
}
