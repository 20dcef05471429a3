import { Fragment, useState } from 'react';
import { Link } from 'react-router';
import { listSignInFailures, type SignInFailure } from '../api/saml.ts';
import { ErrorAlert } from '../components/error-alert.tsx';
import { Loading } from '../components/loading.tsx';
import { Pager } from '../components/pager.tsx';
import { formatMoment } from '../lib/run-format.ts';
import { useAsync } from '../lib/use-async.ts';
import { pagePath } from '../router/paths.ts';
import { ORGANIZATION_PAGES } from './security-routes.ts';

const PAGE_SIZE = 10;
const CLAIMED = ' (claimed)';

/**
 * Logins › Recent sign-in failures: each refused SAML sign-in, newest first (when, which IdP,
 * the error code, the step that refused it and why), with a link to its full trace.
 */
export function SignInFailures() {
  const [start, setStart] = useState(1);
  const failures = useAsync(() => listSignInFailures({ start, num: PAGE_SIZE }), [start]);
  const data = failures.data;
  const keepDays = data?.keepDays;
  return (
    <section className="panel" aria-labelledby="failures-heading" data-testid="sign-in-failures">
      <h2 id="failures-heading">Recent sign-in failures</h2>
      <p className="hint" data-testid="failures-retention">
        SAML sign-ins the portal refused, newest first: the identity provider, the error code, the step that
        refused it and why (never the message itself, tokens or names).
        {keepDays !== undefined && ` Kept ${keepDays} ${keepDays === 1 ? 'day' : 'days'}.`}
      </p>
      <div className="actions">
        <button
          type="button"
          aria-label="Refresh sign-in failures"
          disabled={failures.loading}
          onClick={failures.reload}
        >
          Refresh
        </button>
      </div>
      <ErrorAlert error={failures.error} />
      {failures.loading && !data && <Loading />}
      {data && data.failures.length === 0 && (
        <p className="muted" data-testid="no-failures">
          {data.total === 0 ? 'No failed sign-ins.' : 'No failed sign-ins on this page.'}
        </p>
      )}
      {data && data.failures.length > 0 && (
        <>
          <table className="table cards-when-narrow failure-table" data-testid="failure-table">
            <caption className="visually-hidden">Recent sign-in failures</caption>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Identity provider</th>
                <th scope="col">Error code</th>
                <th scope="col">Failed step</th>
                <th scope="col">Reason</th>
                <th scope="col">Trace</th>
              </tr>
            </thead>
            <tbody>
              {data.failures.map((f) => (
                <FailureRow key={f.traceId} failure={f} />
              ))}
            </tbody>
          </table>
          <Pager
            start={data.start}
            num={data.num}
            total={data.total}
            nextStart={data.nextStart}
            onPage={setStart}
          />
        </>
      )}
    </section>
  );
}

/** The text with a line-break opportunity (<wbr>) where `at` splits it: after a URL's / and . or a step's _. */
function breakable(text: string, at: RegExp) {
  const parts = text.split(at);
  return parts.map((p, i) => (
    // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one fixed string
    <Fragment key={i}>
      {p}
      {i < parts.length - 1 && <wbr />}
    </Fragment>
  ));
}

function FailureRow({ failure: f }: { failure: SignInFailure }) {
  const claimed = f.idp?.endsWith(CLAIMED) ?? false;
  const idp = claimed ? f.idp!.slice(0, -CLAIMED.length) : f.idp;
  return (
    <tr data-testid="failure-row">
      <td data-label="Time">
        <time dateTime={new Date(f.time).toISOString()} title={formatMoment(f.time)}>
          <span className="nowrap">
            {new Date(f.time).toLocaleDateString(undefined, { dateStyle: 'medium' })}
          </span>{' '}
          <span className="nowrap">
            {new Date(f.time).toLocaleTimeString(undefined, { timeStyle: 'medium' })}
          </span>
        </time>
      </td>
      <td data-label="IdP" className="failure-idp">
        {idp === null ? <span className="muted">Unknown</span> : breakable(idp, /(?<=[/.])/)}
        {claimed && (
          <span className="muted" title="The Issuer the message named, not verified">
            {' '}
            (claimed)
          </span>
        )}
      </td>
      <th scope="row" data-label="Error code">
        <code className="error-text" data-testid="failure-code">
          {f.code}
        </code>
      </th>
      <td data-label="Failed step">
        <code>{breakable(f.step, /(?<=_)/)}</code>
      </td>
      <td data-label="Reason" className="failure-reason">
        {f.reason || '—'}
      </td>
      <td data-label="Trace">
        {f.traceId && (
          <Link
            className="button"
            to={pagePath(ORGANIZATION_PAGES.trace, { id: f.traceId })}
            aria-label={`Trace of the sign-in failure at ${formatMoment(f.time)}`}
          >
            Trace
          </Link>
        )}
      </td>
    </tr>
  );
}
