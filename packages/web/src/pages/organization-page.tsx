import { listUsers } from '../api/admin.ts';
import { CertificateHealthBanner } from '../components/certificate-health-banner.tsx';
import { ErrorAlert } from '../components/error-alert.tsx';
import { Loading } from '../components/loading.tsx';
import { useAsync } from '../lib/use-async.ts';
import { Link } from '../router/link.tsx';
import { href } from '../router/router.ts';
import { useSignedIn } from '../session/session-context.ts';
import { CreateUserForm } from './create-user-form.tsx';
import { SECURITY_LINKS } from './security-routes.ts';
import { UserRow } from './user-row.tsx';

export function OrganizationPage() {
  const { self, isAdmin } = useSignedIn();
  const users = useAsync(() => (isAdmin ? listUsers() : Promise.resolve([])), [isAdmin]);

  if (!self) return <Loading />;
  if (!isAdmin) {
    return (
      <main>
        <h1>Organization</h1>
        <div role="alert" className="alert">
          Only administrators of the organization can open this page.
        </div>
      </main>
    );
  }

  return (
    <main>
      <h1>Organization</h1>
      <CertificateHealthBanner />
      <nav aria-label="Settings" className="tabs">
        <span className="muted">Settings › Security:</span>
        <ul>
          {SECURITY_LINKS.map((l) => (
            <li key={l.page}>
              <Link href={href(l.page)}>{l.label}</Link>
            </li>
          ))}
        </ul>
      </nav>
      <div className="columns">
        <section aria-labelledby="members-heading">
          <h2 id="members-heading">Members</h2>
          <ErrorAlert error={users.error} />
          {users.loading && !users.data && <Loading />}
          {users.data && (
            <table className="table" data-testid="user-table">
              <caption className="visually-hidden">Members of the organization</caption>
              <thead>
                <tr>
                  <th scope="col">Username</th>
                  <th scope="col">Name</th>
                  <th scope="col">Email</th>
                  <th scope="col">Status</th>
                  <th scope="col">Role</th>
                </tr>
              </thead>
              <tbody>
                {users.data.map((u) => (
                  <UserRow
                    key={u.username}
                    user={u}
                    self={u.username === self.username}
                    onChanged={users.reload}
                  />
                ))}
              </tbody>
            </table>
          )}
        </section>
        <section aria-label="Create user" className="panel">
          <CreateUserForm onCreated={users.reload} />
        </section>
      </div>
    </main>
  );
}
