import { getGroupMembers } from '../api/community.ts';
import { quoteTerm, searchItems } from '../api/search.ts';
import { ErrorAlert } from '../components/error-alert.tsx';
import { ItemTable } from '../components/item-table.tsx';
import { Loading } from '../components/loading.tsx';
import { formatAccess } from '../lib/format.ts';
import { useAsync } from '../lib/use-async.ts';
import { useLocation } from '../router/router.ts';
import { useSignedIn } from '../session/session-context.ts';
import { AddUsersForm } from './add-users-form.tsx';
import { GroupMembersList } from './group-members-list.tsx';

export function GroupPage() {
  const { self } = useSignedIn();
  const id = useLocation().params.get('id') ?? '';
  const group = self?.groups?.find((g) => g.id === id);
  const members = useAsync(() => getGroupMembers(id), [id]);
  const items = useAsync(() => searchItems(`group:${quoteTerm(id)}`, 1, 100), [id]);

  return (
    <main>
      <h1 data-testid="group-title">{group?.title ?? 'Group'}</h1>
      {group && (
        <p className="muted">
          {formatAccess(group.access)}
          {group.owner ? ` · owner ${group.owner}` : ''}
        </p>
      )}
      {group?.description && <p className="description">{group.description}</p>}
      <div className="columns">
        <section aria-labelledby="members-heading">
          <h2 id="members-heading">Members</h2>
          <ErrorAlert error={members.error} />
          {members.loading && !members.data && <Loading />}
          {members.data && <GroupMembersList members={members.data} />}
          <AddUsersForm groupId={id} onAdded={members.reload} />
        </section>
        <section aria-labelledby="group-items-heading">
          <h2 id="group-items-heading">Items shared with this group</h2>
          <ErrorAlert error={items.error} />
          {items.loading && !items.data && <Loading />}
          {items.data && (
            <ItemTable
              caption="Items shared with this group"
              items={items.data.results}
              empty="No items yet."
            />
          )}
        </section>
      </div>
    </main>
  );
}
