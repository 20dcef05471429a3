import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { ErrorAlert } from '../components/error-alert.tsx';
import { Loading } from '../components/loading.tsx';
import { StatusMessage } from '../components/status-message.tsx';
import { formatAccess } from '../lib/format.ts';
import { pagePath } from '../router/paths.ts';
import { useSignedIn } from '../session/session-context.ts';
import { CreateGroupForm } from './create-group-form.tsx';

export function GroupsPage() {
  const { self, refreshSelf } = useSignedIn();
  const [status, setStatus] = useState<{ text: string; id: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const groups = self?.groups ?? [];

  // Memberships change elsewhere (someone adds me to a group): read them afresh on every visit.
  useEffect(() => {
    refreshSelf().catch(setError);
  }, [refreshSelf]);

  return (
    <main>
      <h1>Groups</h1>
      <StatusMessage>
        {status && (
          <>
            {status.text} <Link to={pagePath('group.html', { id: status.id })}>Open the group</Link>
          </>
        )}
      </StatusMessage>
      <ErrorAlert error={error} />
      <div className="columns">
        <section aria-labelledby="my-groups-heading">
          <h2 id="my-groups-heading">My groups</h2>
          {!self && <Loading />}
          {self && groups.length === 0 && <p className="muted">You are not a member of any group.</p>}
          {groups.length > 0 && (
            <ul className="list" data-testid="group-list">
              {groups.map((g) => (
                <li key={g.id}>
                  <Link to={pagePath('group.html', { id: g.id })}>{g.title}</Link>{' '}
                  <span className="muted">
                    {formatAccess(g.access)}
                    {g.owner ? ` · owner ${g.owner}` : ''}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section aria-label="Create group" className="panel">
          <CreateGroupForm
            onCreated={(id, title) => {
              setStatus({ text: `Group "${title}" created.`, id });
              setError(null);
              refreshSelf().catch(setError);
            }}
          />
        </section>
      </div>
    </main>
  );
}
