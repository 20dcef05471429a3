import { useState } from 'react';
import { deleteItem, getItem } from '../api/content.ts';
import { ErrorAlert } from '../components/error-alert.tsx';
import { Loading } from '../components/loading.tsx';
import { ShareDialog } from '../components/share-dialog.tsx';
import { StatusMessage } from '../components/status-message.tsx';
import { formatAccess, formatDate } from '../lib/format.ts';
import { useAsync } from '../lib/use-async.ts';
import { href, navigate, useLocation } from '../router/router.ts';
import { useSignedIn } from '../session/session-context.ts';
import { ItemDetails } from './item-details.tsx';

export function ItemPage() {
  const { session, self, isAdmin } = useSignedIn();
  const id = useLocation().params.get('id') ?? '';
  const item = useAsync(
    () => (id ? getItem(id) : Promise.reject(new Error('No item id in the address.'))),
    [id],
  );
  const [sharing, setSharing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [status, setStatus] = useState('');
  const [error, setError] = useState<unknown>(null);

  const data = item.data;
  const canManage = !!data && (data.owner === session.username || isAdmin);

  async function remove() {
    if (!data) return;
    setError(null);
    try {
      await deleteItem(data.owner, data.id);
      navigate(href('content.html'), { replace: true });
    } catch (err) {
      setError(err);
      setConfirming(false);
    }
  }

  return (
    <main>
      <ErrorAlert error={item.error} />
      {item.loading && !data && <Loading />}
      {data && (
        <>
          <h1 data-testid="item-title">{data.title}</h1>
          <p className="muted">
            {data.type} · {formatAccess(data.access)} · updated {formatDate(data.modified)}
          </p>
          <StatusMessage>{status}</StatusMessage>
          <ErrorAlert error={error} />
          {canManage && (
            <div className="actions">
              <button type="button" onClick={() => setSharing(true)}>
                Share
              </button>
              {!confirming && (
                <button type="button" className="danger" onClick={() => setConfirming(true)}>
                  Delete
                </button>
              )}
              {confirming && (
                <span className="confirm">
                  Delete this item permanently?{' '}
                  <button type="button" className="danger" onClick={remove}>
                    Yes, delete
                  </button>
                  <button type="button" onClick={() => setConfirming(false)}>
                    Cancel
                  </button>
                </span>
              )}
            </div>
          )}
          <ItemDetails item={data} />
          {sharing && (
            <ShareDialog
              item={data}
              groups={self?.groups ?? []}
              onClose={() => setSharing(false)}
              onShared={(text) => {
                setSharing(false);
                setStatus(text);
                item.reload();
              }}
            />
          )}
        </>
      )}
    </main>
  );
}
