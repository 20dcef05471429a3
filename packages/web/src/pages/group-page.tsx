import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { deleteGroup, getGroup, getGroupMembers, removeUsersFromGroup } from '../api/community.ts';
import { quoteTerm, searchItems } from '../api/search.ts';
import { ConfirmButton } from '../components/confirm-button.tsx';
import { ErrorAlert } from '../components/error-alert.tsx';
import { ItemTable } from '../components/item-table.tsx';
import { Loading } from '../components/loading.tsx';
import { Pager } from '../components/pager.tsx';
import { StatusMessage } from '../components/status-message.tsx';
import { formatAccess } from '../lib/format.ts';
import { useAsync } from '../lib/use-async.ts';
import { pagePath } from '../router/paths.ts';
import { useSignedIn } from '../session/session-context.ts';
import { AddUsersForm } from './add-users-form.tsx';
import { GroupEditForm } from './group-edit-form.tsx';
import { GroupMembersList } from './group-members-list.tsx';

export function GroupPage() {
  const { isAdmin, refreshSelf } = useSignedIn();
  const id = useSearchParams()[0].get('id') ?? '';
  const navigate = useNavigate();
  const group = useAsync(() => getGroup(id), [id]);
  const members = useAsync(() => getGroupMembers(id), [id]);
  const [page, setPage] = useState({ id, start: 1 });
  // A page number belongs to the group it was chosen on.
  const start = page.id === id ? page.start : 1;
  const items = useAsync(() => searchItems(`group:${quoteTerm(id)}`, start, 100), [id, start]);
  const [editing, setEditing] = useState(false);
  const [status, setStatus] = useState('');
  const [error, setError] = useState<unknown>(null);

  const g = group.data;
  const memberType = g?.userMembership?.memberType;
  const canManage = isAdmin || memberType === 'owner' || memberType === 'admin';
  const canDelete = isAdmin || memberType === 'owner';

  async function remove() {
    setError(null);
    try {
      await deleteGroup(id);
      await refreshSelf().catch(() => {});
      navigate(pagePath('groups.html'), { replace: true });
    } catch (err) {
      setError(err);
    }
  }

  async function removeMember(username: string) {
    setError(null);
    setStatus('');
    try {
      const answer = await removeUsersFromGroup(id, [username]);
      if (answer.notRemoved?.includes(username)) setError(new Error(`${username} could not be removed.`));
      else setStatus(`${username} removed from the group.`);
      members.reload();
    } catch (err) {
      setError(err);
    }
  }

  return (
    <main>
      <ErrorAlert error={group.error} />
      {group.loading && !g && <Loading />}
      {g && (
        <>
          <h1 data-testid="group-title">{g.title}</h1>
          <p className="muted">
            {formatAccess(g.access)}
            {g.owner ? ` · owner ${g.owner}` : ''}
          </p>
          {g.snippet && <p data-testid="group-summary">{g.snippet}</p>}
          <StatusMessage>{status}</StatusMessage>
          <ErrorAlert error={error} />
          {canManage && !editing && (
            <div className="actions">
              <button type="button" onClick={() => setEditing(true)}>
                Edit group
              </button>
              {canDelete && (
                <ConfirmButton
                  label="Delete group"
                  question="Delete this group? Items shared only with it become private."
                  confirmLabel="Yes, delete"
                  onConfirm={remove}
                />
              )}
            </div>
          )}
          {editing && (
            <GroupEditForm
              group={g}
              onCancel={() => setEditing(false)}
              onSaved={(message) => {
                setEditing(false);
                setStatus(message);
                group.reload();
                refreshSelf().catch(() => {});
              }}
            />
          )}
          {!editing && g.description && (
            <div className="description" data-testid="group-description">
              {g.description}
            </div>
          )}
        </>
      )}
      <div className="columns columns-members">
        <section aria-labelledby="members-heading">
          <h2 id="members-heading">Members</h2>
          <ErrorAlert error={members.error} />
          {members.loading && !members.data && <Loading />}
          {members.data && (
            <GroupMembersList members={members.data} onRemove={canManage ? removeMember : undefined} />
          )}
          {canManage && <AddUsersForm groupId={id} onAdded={members.reload} />}
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
          {items.data && (items.data.total > items.data.num || start > 1) && (
            <Pager
              start={items.data.start}
              num={items.data.num}
              total={items.data.total}
              nextStart={items.data.nextStart}
              onPage={(s) => setPage({ id, start: s })}
            />
          )}
        </section>
      </div>
    </main>
  );
}
