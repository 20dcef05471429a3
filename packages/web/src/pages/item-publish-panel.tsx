import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import {
  getHostingServer,
  PUBLISHABLE_TYPES,
  type PublishAnswer,
  publishItem,
  serviceNameFor,
} from '../api/publish.ts';
import type { Item } from '../api/types.ts';
import { ErrorAlert } from '../components/error-alert.tsx';
import { TextField } from '../components/text-field.tsx';
import { useAction } from '../lib/use-action.ts';
import { useAsync } from '../lib/use-async.ts';
import { pagePath } from '../router/paths.ts';
import { PublishProgress } from './publish-progress.tsx';
import { ORGANIZATION_PAGES } from './security-routes.ts';

/**
 * Publish: a GeoJSON or CSV item becomes a hosted feature service on the portal's hosting
 * server. Shown only when the portal has one.
 */
export function ItemPublishPanel({ item }: { item: Item }) {
  const filetype = PUBLISHABLE_TYPES[item.type];
  const hosting = useAsync(
    () => (filetype ? getHostingServer().catch(() => null) : Promise.resolve(null)),
    [filetype],
  );
  const [name, setName] = useState(() => serviceNameFor(item.title));
  const [answer, setAnswer] = useState<PublishAnswer | null>(null);
  const { busy, error, run } = useAction();

  if (!filetype || !hosting.data) return null;

  function submit(event: FormEvent) {
    event.preventDefault();
    void run(async () => setAnswer(await publishItem(item.owner, item.id, filetype, name.trim())));
  }

  return (
    <section className="panel" aria-labelledby="publish-heading" data-testid="publish-panel">
      <h2 id="publish-heading">Publish</h2>
      <p className="hint">
        Publish this {item.type} file as a hosted feature layer on {hosting.data.url}.
      </p>
      {answer?.jobId ? (
        <PublishProgress owner={item.owner} itemId={item.id} jobId={answer.jobId} />
      ) : answer ? (
        <output className="status" data-testid="publish-status">
          Publishing started.{' '}
          {answer.serviceItemId && (
            <Link to={pagePath('item.html', { id: answer.serviceItemId })}>Open the feature layer item</Link>
          )}{' '}
          <Link to={pagePath(ORGANIZATION_PAGES.jobs)}>See jobs</Link>
        </output>
      ) : (
        <form className="stack" onSubmit={submit}>
          <TextField label="Service name" required autoComplete="off" value={name} onChange={setName} />
          <ErrorAlert error={error} />
          <div className="actions">
            <button type="submit" disabled={busy}>
              {busy ? 'Publishing…' : 'Publish'}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
