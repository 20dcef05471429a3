import { lazy, Suspense, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { deleteItem, getItem } from '../api/content.ts';
import { isApplicationType } from '../api/oauth-apps.ts';
import { ConfirmButton } from '../components/confirm-button.tsx';
import { ErrorAlert } from '../components/error-alert.tsx';
import { ItemThumbnail } from '../components/item-thumbnail.tsx';
import { Loading } from '../components/loading.tsx';
import { OriginBadge } from '../components/origin-badge.tsx';
import { ShareDialog } from '../components/share-dialog.tsx';
import { StatusMessage } from '../components/status-message.tsx';
import { formatAccess, formatDate } from '../lib/format.ts';
import { useAsync } from '../lib/use-async.ts';
import { pagePath } from '../router/paths.ts';
import { useSignedIn } from '../session/session-context.ts';
import { AppRegistrationPanel } from './app-registration-panel.tsx';
import { ItemDataPanel } from './item-data-panel.tsx';
import { ItemDetails } from './item-details.tsx';
import { ItemEditForm } from './item-edit-form.tsx';
import { ItemOriginPanel } from './item-origin-panel.tsx';
import { ItemPublishPanel } from './item-publish-panel.tsx';

/** The map and its library (OpenLayers) load only when a Feature Service item is opened. */
const FeatureServicePanel = lazy(() =>
  import('./feature-service-panel.tsx').then((m) => ({ default: m.FeatureServicePanel })),
);

export function ItemPage() {
  const { session, self, isAdmin } = useSignedIn();
  const id = useSearchParams()[0].get('id') ?? '';
  const navigate = useNavigate();
  const item = useAsync(
    () => (id ? getItem(id) : Promise.reject(new Error('No item id in the address.'))),
    [id],
  );
  const [sharing, setSharing] = useState(false);
  const [editing, setEditing] = useState(false);
  const [status, setStatus] = useState('');
  const [error, setError] = useState<unknown>(null);

  const data = item.data;
  const canManage = !!data && (data.owner === session.username || isAdmin);

  async function remove() {
    if (!data) return;
    setError(null);
    try {
      await deleteItem(data.owner, data.id);
      navigate(pagePath('content.html'), { replace: true });
    } catch (err) {
      setError(err);
    }
  }

  return (
    <main>
      <ErrorAlert error={item.error} />
      {item.loading && !data && <Loading />}
      {data && (
        <>
          <div className="item-heading">
            <ItemThumbnail item={data} />
            <div>
              <h1 data-testid="item-title">{data.title}</h1>
              <p className="muted">
                {data.type} · {formatAccess(data.access)} · updated {formatDate(data.modified)}{' '}
                <OriginBadge item={data} />
              </p>
            </div>
          </div>
          <StatusMessage>{status}</StatusMessage>
          <ErrorAlert error={error} />
          {canManage && !editing && (
            <div className="actions">
              <button type="button" onClick={() => setEditing(true)}>
                Edit
              </button>
              <button type="button" onClick={() => setSharing(true)}>
                Share
              </button>
              <ConfirmButton
                label="Delete"
                question="Delete this item permanently?"
                confirmLabel="Yes, delete"
                onConfirm={remove}
              />
            </div>
          )}
          {editing ? (
            <ItemEditForm
              item={data}
              onCancel={() => setEditing(false)}
              onSaved={(message) => {
                setEditing(false);
                setStatus(message);
                item.reload();
              }}
            />
          ) : (
            <>
              {data.type === 'Feature Service' && data.url && (
                <Suspense fallback={<Loading />}>
                  <FeatureServicePanel item={data} />
                </Suspense>
              )}
              <ItemDataPanel item={data} />
              {canManage && <ItemPublishPanel item={data} />}
              {canManage && isApplicationType(data.type) && (
                <AppRegistrationPanel item={data} onChanged={item.reload} />
              )}
              <ItemDetails item={data} />
              <ItemOriginPanel item={data} />
            </>
          )}
          {sharing && (
            <ShareDialog
              item={data}
              groups={self?.groups ?? []}
              onClose={() => setSharing(false)}
              onChanged={item.reload}
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
