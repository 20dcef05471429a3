import { useState } from 'react';
import { getUserContent } from '../api/content.ts';
import type { Item } from '../api/types.ts';
import { AddItemForm } from '../components/add-item-form.tsx';
import { ErrorAlert } from '../components/error-alert.tsx';
import { ItemTable } from '../components/item-table.tsx';
import { Loading } from '../components/loading.tsx';
import { ShareDialog } from '../components/share-dialog.tsx';
import { StatusMessage } from '../components/status-message.tsx';
import { useAsync } from '../lib/use-async.ts';
import { Link } from '../router/link.tsx';
import { href } from '../router/router.ts';
import { useSignedIn } from '../session/session-context.ts';

export function ContentPage() {
  const { session, self } = useSignedIn();
  const username = session.username;
  const content = useAsync(() => getUserContent(username), [username]);
  const [sharing, setSharing] = useState<Item | null>(null);
  const [status, setStatus] = useState<{ text: string; id?: string } | null>(null);

  return (
    <main>
      <h1>My content</h1>
      <StatusMessage>
        {status && (
          <>
            {status.text}{' '}
            {status.id && <Link href={href('item.html', { id: status.id })}>Open the item</Link>}
          </>
        )}
      </StatusMessage>
      <div className="columns">
        <section aria-labelledby="items-heading">
          <h2 id="items-heading">Items</h2>
          <ErrorAlert error={content.error} />
          {content.loading && !content.data && <Loading />}
          {content.data && (
            <>
              {content.data.folders.length > 0 && (
                <p className="muted" data-testid="folders">
                  Folders: {content.data.folders.map((f) => f.title).join(', ')}
                </p>
              )}
              <ItemTable
                caption="My items"
                items={content.data.items}
                empty="You have no items yet. Add one with the form."
                actions={(item) => (
                  <button type="button" onClick={() => setSharing(item)}>
                    Share
                  </button>
                )}
              />
            </>
          )}
        </section>
        <section aria-label="Add item" className="panel">
          <AddItemForm
            username={username}
            onAdded={(id, title) => {
              setStatus({ text: `Item "${title}" added.`, id });
              content.reload();
            }}
          />
        </section>
      </div>
      {sharing && (
        <ShareDialog
          item={sharing}
          groups={self?.groups ?? []}
          onClose={() => setSharing(null)}
          onShared={(text) => {
            setSharing(null);
            setStatus({ text, id: sharing.id });
            content.reload();
          }}
        />
      )}
    </main>
  );
}
