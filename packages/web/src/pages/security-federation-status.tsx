import { useCallback, useEffect, useState } from 'react';
import { type Federation, getFederation, getRefreshJob, refreshFederation } from '../api/federations.ts';
import { isActive, type Job } from '../api/jobs.ts';
import { ErrorAlert } from '../components/error-alert.tsx';
import { Loading } from '../components/loading.tsx';
import { ProgressBar } from '../components/progress-bar.tsx';
import { StatusMessage } from '../components/status-message.tsx';
import { useAsync } from '../lib/use-async.ts';

const when = (t: number | null) => (t === null ? '—' : new Date(t).toLocaleString());

/**
 * A federation login's metadata: what is in use (identity providers, valid until, when it was
 * loaded), the last refresh and why it failed, the next; Refresh starts a job whose progress
 * is shown until it ends.
 */
export function FederationStatus({ federationId }: { federationId: string }) {
  const fed = useAsync(() => getFederation(federationId), [federationId]);
  const [job, setJob] = useState<Job | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [status, setStatus] = useState('');

  const { reload } = fed;
  const follow = useCallback(
    (j: Job) => {
      setJob(j);
      if (isActive(j)) return;
      // A failure shows as the federation's last error (below), with its code.
      if (j.status === 'succeeded') setStatus('The federation’s metadata was loaded.');
      reload();
    },
    [reload],
  );

  useEffect(() => {
    if (!job || !isActive(job)) return;
    const timer = setTimeout(() => {
      getRefreshJob(job.id).then(follow, (e: unknown) => setError(e));
    }, 400);
    return () => clearTimeout(timer);
  }, [job, follow]);

  async function refresh() {
    setError(null);
    setStatus('');
    try {
      const id = await refreshFederation(federationId);
      follow(await getRefreshJob(id));
    } catch (e) {
      setError(e);
    }
  }

  const f: Federation | null | undefined = fed.data;
  const running = job !== null && isActive(job);
  return (
    <section className="panel" aria-labelledby="federation-heading" data-testid="federation-status">
      <h2 id="federation-heading">Federation metadata</h2>
      <StatusMessage>{status}</StatusMessage>
      <ErrorAlert error={fed.error ?? error} />
      {fed.loading && !f && <Loading />}
      {f && (
        <dl className="details">
          <div>
            <dt>In use</dt>
            <dd>
              {f.lastSuccess === null
                ? 'Not loaded yet'
                : `${f.identityProviders} identity providers (of ${f.entities} entities)`}
            </dd>
          </div>
          <div>
            <dt>Valid until</dt>
            <dd>{when(f.validUntil)}</dd>
          </div>
          <div>
            <dt>Loaded</dt>
            <dd>{when(f.lastSuccess)}</dd>
          </div>
          <div>
            <dt>Last refresh</dt>
            <dd>
              {f.lastAttempt === null
                ? '—'
                : `${when(f.lastAttempt)}, ${f.lastError ? 'failed' : 'succeeded'}`}
            </dd>
          </div>
          <div>
            <dt>Next refresh</dt>
            <dd>{when(f.nextRefresh)}</dd>
          </div>
        </dl>
      )}
      {f?.lastError && (
        <div className="alert" role="alert" data-testid="federation-error">
          <p>
            The last refresh failed (<code>{f.lastError.code}</code>); the metadata in use stays.
          </p>
          <p className="wrap">{f.lastError.message}</p>
        </div>
      )}
      {running && job && (
        <ProgressBar progress={job.progress} running={running} label="Progress of the refresh" />
      )}
      <div className="actions">
        <button type="button" disabled={running} onClick={() => void refresh()}>
          {running ? 'Refreshing…' : 'Refresh'}
        </button>
      </div>
    </section>
  );
}
