import { Link } from 'react-router';
import type { Folder } from '../api/types.ts';
import { pagePath } from '../router/paths.ts';
import { CreateFolderForm } from './create-folder-form.tsx';

interface FolderListProps {
  username: string;
  folders: Folder[];
  /** The folder shown, null for the root folder. */
  current: string | null;
  onCreated(id: string, title: string): void;
}

/** The root folder and the user's folders, as links; and the New folder form. */
export function FolderList({ username, folders, current, onCreated }: FolderListProps) {
  const entries = [{ id: null, title: `${username} (root)` }, ...folders];
  return (
    <nav aria-label="Folders" className="panel folder-list" data-testid="folders">
      <h2>Folders</h2>
      <ul>
        {entries.map((f) => (
          <li key={f.id ?? '/'}>
            <Link
              to={pagePath('content.html', { folder: f.id ?? undefined })}
              aria-current={f.id === current ? 'page' : undefined}
            >
              {f.title}
            </Link>
          </li>
        ))}
      </ul>
      <CreateFolderForm username={username} onCreated={onCreated} />
    </nav>
  );
}
