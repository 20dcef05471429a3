/**
 * Follows a publish job (items/<id>/status?jobId=…) until it ends: its progress while it runs,
 * then a link to the new Feature Service item, or the job's error.
 */
import { Link } from 'react-router';
import { getPublishStatus } from '../api/publish.ts';
import { ErrorAlert } from '../components/error-alert.tsx';
import { ProgressBar } from '../components/progress-bar.tsx';
import { useAsync } from '../lib/use-async.ts';
import { useRefreshWhile } from '../lib/use-refresh-while.ts';
import { pagePath } from '../router/paths.ts';
import { ORGANIZATION_PAGES } from './security-routes.ts';

interface PublishProgressProps {
  owner: string;
  itemId: string;
  jobId: string;
}

export function PublishProgress({ owner, itemId, jobId }: PublishProgressProps) {
  const state = useAsync(() => getPublishStatus(owner, itemId, jobId), [owner, itemId, jobId]);
  const s = state.data;
  // A failed read is asked again too: the job goes on on the portal.
  useRefreshWhile(state, !s || s.status === 'processing');
  return (
    <div className="stack" data-testid="publish-status" data-status={s?.status ?? 'processing'}>
      {(!s || s.status === 'processing') && (
        <output className="status">
          Publishing (job {jobId})…
          {s && <ProgressBar progress={s.progress} running label="Progress of publishing" />}
        </output>
      )}
      {s?.status === 'completed' && (
        <output className="status">
          Published.{' '}
          {s.serviceItemId ? (
            <Link to={pagePath('item.html', { id: s.serviceItemId })} data-testid="published-item-link">
              Open the feature layer item
            </Link>
          ) : (
            s.serviceurl
          )}
        </output>
      )}
      {s?.status === 'failed' && (
        <div role="alert" className="alert" data-testid="publish-failed">
          Publishing failed: {s.statusMessage || 'the job ended without a reason.'}
          {s.errorCode ? ` (${s.errorCode})` : ''}
        </div>
      )}
      {!s && <ErrorAlert error={state.error} />}
      <Link to={pagePath(ORGANIZATION_PAGES.jobs)}>See jobs</Link>
    </div>
  );
}
