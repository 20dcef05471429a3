import { Link } from 'react-router';
import { listParticipants } from '../api/collaboration-exchange.ts';
import { getCollaboration } from '../api/collaborations.ts';
import type { Item } from '../api/types.ts';
import { type ItemOrigin, itemOrigin } from '../lib/item-origin.ts';
import { useAsync } from '../lib/use-async.ts';
import { pagePath } from '../router/paths.ts';
import { useSignedIn } from '../session/session-context.ts';
import { ORGANIZATION_PAGES } from './security-routes.ts';

/**
 * An item received through a collaboration: from which portal, through which collaboration,
 * which item there, and whether it is still kept in step. Administrators see the
 * collaboration's name (linked) and the portal's URL; others the ids.
 */
export function ItemOriginPanel({ item }: { item: Item }) {
  const origin = itemOrigin(item);
  if (!origin) return null;
  return <OriginDetails origin={origin} />;
}

function OriginDetails({ origin }: { origin: ItemOrigin }) {
  const { isAdmin } = useSignedIn();
  const named = useAsync(async () => {
    if (!isAdmin || !origin.collaborationId) return null;
    const [collaboration, participants] = await Promise.all([
      getCollaboration(origin.collaborationId),
      listParticipants(origin.collaborationId),
    ]);
    const portal = participants.find((p) => p.participantId === origin.originPortalId);
    return { name: collaboration.name, portalUrl: portal?.portalUrl ?? '' };
  }, [isAdmin, origin.collaborationId, origin.originPortalId]);
  const n = named.data;
  return (
    <section aria-labelledby="origin-heading" data-testid="item-origin">
      <h2 id="origin-heading">Origin</h2>
      <dl className="details">
        <div>
          <dt>Received from</dt>
          <dd className="wrap" data-testid="origin-portal">
            {n?.portalUrl || `portal ${origin.originPortalId}`}
          </dd>
        </div>
        <div>
          <dt>Collaboration</dt>
          <dd className="wrap">
            {n ? (
              <Link to={pagePath(ORGANIZATION_PAGES.collaboration, { id: origin.collaborationId })}>
                {n.name}
              </Link>
            ) : (
              origin.collaborationId
            )}
          </dd>
        </div>
        <div>
          <dt>Item there</dt>
          <dd className="wrap">{origin.originItemId}</dd>
        </div>
        <div>
          <dt>Kept in step</dt>
          <dd data-testid="origin-synced">
            {origin.unsynced
              ? 'No: its origin was unshared or deleted; this copy is kept'
              : 'Yes: changes there reach this item'}
          </dd>
        </div>
      </dl>
    </section>
  );
}
