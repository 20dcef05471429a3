import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { getUserContent } from '../api/content.ts';
import { getPortalSelf } from '../api/portal.ts';
import type { Item } from '../api/types.ts';
import { AddItemForm } from '../components/add-item-form.tsx';
import { ErrorAlert } from '../components/error-alert.tsx';
import { ItemTable } from '../components/item-table.tsx';
import { Loading } from '../components/loading.tsx';
import { MoveDialog } from '../components/move-dialog.tsx';
import { Pager } from '../components/pager.tsx';
import { ShareDialog } from '../components/share-dialog.tsx';
import { StatusMessage } from '../components/status-message.tsx';
import { useAsync } from '../lib/use-async.ts';
import { pagePath } from '../router/paths.ts';
import { useSignedIn } from '../session/session-context.ts';
import { FolderList } from './folder-list.tsx';

interface Status {
  text: string;
  id?: string;
  warning?: string;
}

export function ContentPage() {
  const { session, self } = useSignedIn();
  const username = session.username;
  const folderId = useSearchParams()[0].get('folder') || null;
  const navigate = useNavigate();
  const [page, setPage] = useState({ folderId, start: 1 });
  // A page number belongs to the folder it was chosen in.
  const start = page.folderId === folderId ? page.start : 1;
  const content = useAsync(() => getUserContent(username, folderId, start), [username, folderId, start]);
  const portal = useAsync(getPortalSelf, []);
  const [sharing, setSharing] = useState<Item | null>(null);
  const [moving, setMoving] = useState<Item | null>(null);
  const [status, setStatus] = useState<Status | null>(null);

  const folders = content.data?.folders ?? [];
  const folderTitle = folderId ? (folders.find((f) => f.id === folderId)?.title ?? 'Folder') : null;
  const data = content.data;

  return (
    <main>
      <h1>My content</h1>
      <StatusMessage>
        {status && (
          <>
            {status.text}{' '}
            {status.id && <Link to={pagePath('item.html', { id: status.id })}>Open the item</Link>}
          </>
        )}
      </StatusMessage>
      {status?.warning && (
        <div role="alert" className="alert">
          {status.warning}
        </div>
      )}
      <div className="content-layout">
        <FolderList
          username={username}
          folders={folders}
          current={folderId}
          onCreated={(id, title) => {
            setStatus({ text: `Folder "${title}" created.` });
            navigate(pagePath('content.html', { folder: id }));
          }}
        />
        <section aria-labelledby="items-heading" className="content-items">
          <h2 id="items-heading">{folderTitle ?? `${username} (root folder)`}</h2>
          <ErrorAlert error={content.error} />
          {content.loading && !data && <Loading />}
          {data && (
            <>
              <ItemTable
                caption={folderTitle ? `Items in ${folderTitle}` : 'Items in the root folder'}
                items={data.items}
                empty={
                  folderId ? 'This folder is empty.' : 'You have no items here yet. Add one with the form.'
                }
                actions={(item) => (
                  <div className="row-actions">
                    <button type="button" aria-label={`Share ${item.title}`} onClick={() => setSharing(item)}>
                      Share
                    </button>
                    <button type="button" aria-label={`Move ${item.title}`} onClick={() => setMoving(item)}>
                      Move
                    </button>
                  </div>
                )}
              />
              {(data.total > data.num || start > 1) && (
                <Pager
                  start={data.start}
                  num={data.num}
                  total={data.total}
                  nextStart={data.nextStart}
                  onPage={(s) => setPage({ folderId, start: s })}
                />
              )}
            </>
          )}
        </section>
        <section aria-label="Add item" className="panel content-add">
          {portal.data || portal.error ? (
            <AddItemForm
              key={`${folderId}/${portal.data?.defaultItemAccess}`}
              username={username}
              folderId={folderId}
              defaultAccess={portal.data?.defaultItemAccess ?? 'private'}
              onAdded={(id, title, warning) => {
                setStatus({ text: `Item "${title}" added.`, id, warning });
                content.reload();
              }}
            />
          ) : (
            <Loading />
          )}
        </section>
      </div>
      {sharing && (
        <ShareDialog
          item={sharing}
          groups={self?.groups ?? []}
          onClose={() => setSharing(null)}
          onChanged={content.reload}
          onShared={(text) => {
            setSharing(null);
            setStatus({ text, id: sharing.id });
            content.reload();
          }}
        />
      )}
      {moving && (
        <MoveDialog
          item={moving}
          folders={folders}
          onClose={() => setMoving(null)}
          onMoved={(text) => {
            setMoving(null);
            setStatus({ text, id: moving.id });
            content.reload();
          }}
        />
      )}
    </main>
  );
}
