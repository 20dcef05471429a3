/**
 * Following the hosting server's publish job until it ends, relaying its progress. A server
 * that stops answering (restarting, a network cut) is asked again for a while before the
 * publish gives up; a job the server dropped because it restarted is reported as such.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { isMeridianError, MeridianError } from '../../kernel/errors/meridian-error.ts';
import type { JobContext } from '../../kernel/jobs/job.ts';
import { ServerUnreachable } from '../errors.ts';
import { answerError, type Json } from '../server-client.ts';
import { PublishFailed, PublishServerLost } from './errors.ts';
import type { PublishClient } from './server-publish-client.ts';

export interface PollOptions {
  /** How long a server that does not answer is asked again. */
  retryWindowMs: number;
  /** Longest pause between two polls. */
  maxDelayMs: number;
}

export const POLL_DEFAULTS: PollOptions = { retryWindowMs: 120_000, maxDelayMs: 2_000 };

const ENDED = new Set(['succeeded', 'failed', 'cancelled']);

/** The server job once it has ended; throws servers.publish_server_lost when the server stays away. */
export async function pollServerJob(
  job: Pick<JobContext<unknown>, 'progress' | 'signal'>,
  call: { client: PublishClient; adminUrl: string; token(): Promise<string>; serverJobId: string },
  opts: PollOptions = POLL_DEFAULTS,
): Promise<Json> {
  let delay = 100;
  let awaySince: number | undefined;
  for (;;) {
    job.signal.throwIfAborted();
    let answer: Json;
    try {
      answer = await call.client.job(call.adminUrl, await call.token(), call.serverJobId);
    } catch (err) {
      if (!isMeridianError(err) || err.code !== ServerUnreachable.code) throw err;
      awaySince ??= Date.now();
      const away = Date.now() - awaySince;
      if (away > opts.retryWindowMs)
        throw new MeridianError(
          PublishServerLost,
          `The hosting server stopped answering while it published (for ${Math.round(away / 1000)} s): ${err.message} Whether the service was made is unknown; nothing was kept on the portal. ${PublishServerLost.fix}`,
        );
      job.progress(0, null, `The hosting server does not answer (restarting?); asking again…`);
      await sleep(Math.min(1_000, opts.maxDelayMs), undefined, { signal: job.signal });
      continue;
    }
    awaySince = undefined;
    // A job answers {id, status, …, error}: its error is the job's, not the request's.
    const isJob = typeof answer.id === 'string' && typeof answer.status === 'string';
    const refused = isJob ? undefined : (answerError(answer) ?? 'not a job');
    if (refused)
      throw new MeridianError(
        PublishServerLost,
        `The hosting server did not report on its publish job ${call.serverJobId}: ${refused} ${PublishServerLost.fix}`,
      );
    const p = answer.progress as { done?: number; total?: number | null; message?: string } | undefined;
    if (p)
      job.progress(Number(p.done ?? 0), p.total ?? null, `Hosting server: ${p.message ?? answer.status}`);
    if (ENDED.has(answer.status)) return answer;
    await sleep(delay, undefined, { signal: job.signal });
    delay = Math.min(delay * 2, opts.maxDelayMs);
  }
}

/** A server job that did not succeed, as the publish's error: its reason, or that the server restarted. */
export function serverJobError(answer: Json): MeridianError {
  const e = (answer.error ?? {}) as { code?: string; message?: string };
  if (e.code === 'jobs.interrupted')
    return new MeridianError(
      PublishServerLost,
      `The hosting server restarted while it published, and dropped the work (${e.message ?? 'interrupted'}). Nothing was kept. Publish again.`,
    );
  if (answer.status === 'cancelled')
    return new MeridianError(
      PublishFailed,
      'The publish job was cancelled on the hosting server. Nothing was kept.',
    );
  return new MeridianError(
    PublishFailed,
    `The hosting server could not publish the data: ${e.message ?? 'no reason given'} ${PublishFailed.fix}`,
    { detail: e.code },
  );
}
