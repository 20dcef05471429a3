import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { cancelJob, isActive, JOB_STATUSES, type Job, type JobStatus, listJobs } from '../api/jobs.ts';
import { ErrorAlert } from '../components/error-alert.tsx';
import { Field } from '../components/field.tsx';
import { Loading } from '../components/loading.tsx';
import { Pager } from '../components/pager.tsx';
import { StatusMessage } from '../components/status-message.tsx';
import { JOB_STATUS_LOOK } from '../lib/run-format.ts';
import { useAction } from '../lib/use-action.ts';
import { useAsync } from '../lib/use-async.ts';
import { useRefreshWhile } from '../lib/use-refresh-while.ts';
import { pagePath } from '../router/paths.ts';
import { JobRow } from './job-row.tsx';
import { OrganizationLayout } from './organization-layout.tsx';
import { ORGANIZATION_PAGES } from './security-routes.ts';

const PAGE_SIZE = 20;

/** Organization › Jobs: the portal's long operations, their progress, and Cancel. */
export function OrganizationJobsPage() {
  return (
    <OrganizationLayout title="Jobs" section="jobs">
      <JobsBody />
    </OrganizationLayout>
  );
}

function jobsPath(status: JobStatus | undefined, start?: number): string {
  return pagePath(ORGANIZATION_PAGES.jobs, { status, start: start && start > 1 ? start : undefined });
}

function JobsBody() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const status = JOB_STATUSES.find((s) => s === params.get('status'));
  const start = Math.max(1, Number.parseInt(params.get('start') ?? '1', 10) || 1);
  const jobs = useAsync(() => listJobs({ status, start, num: PAGE_SIZE }), [status, start]);
  const cancel = useAction();
  const [message, setMessage] = useState('');
  useRefreshWhile(jobs, jobs.data?.jobs.some(isActive) ?? false);

  async function cancelOne(job: Job) {
    setMessage('');
    const ok = await cancel.run(() => cancelJob(job.id));
    if (ok) setMessage(`Cancelling ${job.kind}.`);
    jobs.reload();
  }

  const data = jobs.data;
  return (
    <section aria-labelledby="jobs-heading">
      <h2 id="jobs-heading">Jobs</h2>
      <p className="hint">
        Long operations of the portal (certificate issuance, metadata refresh, sync), newest first. This page
        follows running jobs as they progress.
      </p>
      <form className="filters" aria-label="Job filters" onSubmit={(e) => e.preventDefault()}>
        <Field label="Status">
          {(id) => (
            <select
              id={id}
              value={status ?? ''}
              onChange={(e) => navigate(jobsPath(JOB_STATUSES.find((s) => s === e.target.value)))}
            >
              <option value="">Any status</option>
              {JOB_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {JOB_STATUS_LOOK[s].label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <div className="actions">
          <button type="button" onClick={jobs.reload} disabled={jobs.loading}>
            Refresh
          </button>
        </div>
      </form>
      <StatusMessage>{message}</StatusMessage>
      <ErrorAlert error={cancel.error} />
      <ErrorAlert error={jobs.error} />
      {jobs.loading && !data && <Loading />}
      {data && data.jobs.length === 0 && (
        <p className="muted" data-testid="no-jobs">
          {status ? `No ${JOB_STATUS_LOOK[status].label.toLowerCase()} jobs.` : 'No jobs yet.'}
        </p>
      )}
      {data && data.jobs.length > 0 && (
        <>
          <table className="table cards-when-narrow run-table" data-testid="job-table">
            <caption className="visually-hidden">Jobs</caption>
            <thead>
              <tr>
                <th scope="col">Kind</th>
                <th scope="col">Status</th>
                <th scope="col">Progress</th>
                <th scope="col">Created</th>
                <th scope="col">Finished</th>
                <th scope="col">Outcome</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {data.jobs.map((job) => (
                <JobRow key={job.id} job={job} onCancel={cancelOne} />
              ))}
            </tbody>
          </table>
          <Pager
            start={data.start}
            num={data.num}
            total={data.total}
            nextStart={data.nextStart}
            onPage={(s) => navigate(jobsPath(status, s))}
          />
        </>
      )}
    </section>
  );
}
