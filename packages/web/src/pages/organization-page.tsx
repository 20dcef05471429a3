import { useState } from 'react';
import { listUsers } from '../api/admin.ts';
import { ErrorAlert } from '../components/error-alert.tsx';
import { Loading } from '../components/loading.tsx';
import { Pager } from '../components/pager.tsx';
import { StatusMessage } from '../components/status-message.tsx';
import { useAsync } from '../lib/use-async.ts';
import { useSignedIn } from '../session/session-context.ts';
import { CreateUserForm } from './create-user-form.tsx';
import { OrganizationLayout } from './organization-layout.tsx';
import { UserRow } from './user-row.tsx';

/** Organization › Members: every user, their role and state, and what an administrator does to them. */
export function OrganizationPage() {
  return (
    <OrganizationLayout title="Organization" section="members">
      <MembersBody />
    </OrganizationLayout>
  );
}

function MembersBody() {
  const { session } = useSignedIn();
  const [start, setStart] = useState(1);
  const users = useAsync(() => listUsers(start), [start]);
  const [status, setStatus] = useState('');

  function changed(message: string) {
    setStatus(message);
    users.reload();
  }

  return (
    <>
      <section aria-labelledby="members-heading">
        <h2 id="members-heading">Members</h2>
        <StatusMessage>{status}</StatusMessage>
        <ErrorAlert error={users.error} />
        {users.loading && !users.data && <Loading />}
        {users.data && (
          <table className="table cards-when-narrow" data-testid="user-table">
            <caption className="visually-hidden">Members of the organization</caption>
            <thead>
              <tr>
                <th scope="col">Username</th>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Status</th>
                <th scope="col">Role</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {users.data.users.map((u) => (
                <UserRow
                  key={u.username}
                  user={u}
                  self={u.username === session.username}
                  onChanged={changed}
                />
              ))}
            </tbody>
          </table>
        )}
        {users.data && (users.data.total > users.data.num || start > 1) && (
          <Pager
            start={users.data.start}
            num={users.data.num}
            total={users.data.total}
            nextStart={users.data.nextStart}
            onPage={setStart}
          />
        )}
      </section>
      <section aria-label="Create user" className="panel form-panel">
        <CreateUserForm onCreated={(username) => changed(`User ${username} created.`)} />
      </section>
    </>
  );
}
