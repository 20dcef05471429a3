/**
 * A guest's access modes kept current by its own sync runs, for when it missed the host's
 * partnerAccessModes call (it was down): a run asks the host for its modes first
 * (partnerAccess; real-time runs at most once a minute), and a refusal of the host
 * (collaboration.access_denied) carries the guest's current modes, which the run records
 * before it goes on with what it may still do. Modes are taken only from the collaboration's
 * host, in answer to this portal's own signed call over the connection verified against the
 * host's trust; they are checked as partnerAccessModes checks them.
 */
import { isMeridianError } from '../kernel/errors/meridian-error.ts';
import { mayReceive, maySend, modeIn, partnerAccessModes } from './access-modes.ts';
import type { CollaborationContext } from './context.ts';
import { CollaborationAccessDenied } from './errors.ts';
import { getParticipantRow, type ParticipantRow } from './participant-store.ts';
import type { Json } from './partner-http.ts';

/** How often a real-time run asks the host for its modes. */
const REALTIME_REFRESH_MS = 60_000;
const refreshed = new WeakMap<CollaborationContext, Map<string, number>>();

/** The modes a host's refusal carries (collaboration.access_denied with accessModes), if any. */
export function modesOfRefusal(err: unknown): Record<string, unknown> | undefined {
  if (!isMeridianError(err) || err.code !== CollaborationAccessDenied.code) return undefined;
  const modes = err.data?.accessModes;
  return modes && typeof modes === 'object' && !Array.isArray(modes)
    ? (modes as Record<string, unknown>)
    : undefined;
}

export class GuestAccess {
  private readonly ctx: CollaborationContext;
  /** The collaboration's host, as this guest records it. */
  host: ParticipantRow;

  constructor(ctx: CollaborationContext, host: ParticipantRow) {
    this.ctx = ctx;
    this.host = host;
  }

  /** Records modes the host gave; answers whether they were taken. */
  private async take(modes: unknown): Promise<boolean> {
    try {
      await partnerAccessModes(this.ctx, this.host, JSON.stringify(modes));
    } catch (err) {
      this.ctx.kernel.log.warn(
        { err, host: this.host.url },
        'the host answered access modes this guest cannot use',
      );
      return false;
    }
    this.host = await getParticipantRow(
      this.ctx.kernel.db.kysely,
      this.host.collaboration_id,
      this.host.portal_id,
    );
    return true;
  }

  /**
   * Asks the host for this guest's modes (`call`: the run's signed call to the host). A host
   * that does not answer them leaves the recorded modes as they are (the run's own calls then
   * say what is wrong).
   */
  async refresh(
    workspaceId: string,
    realtime: boolean,
    call: (resource: string) => Promise<Json>,
    signal: AbortSignal,
  ): Promise<void> {
    const seen = refreshed.get(this.ctx) ?? new Map<string, number>();
    refreshed.set(this.ctx, seen);
    const now = Date.now();
    if (realtime && now - (seen.get(workspaceId) ?? 0) < REALTIME_REFRESH_MS) return;
    try {
      const answer = await call('partnerAccess');
      if (await this.take(answer.accessModes)) seen.set(workspaceId, now);
    } catch (err) {
      if (signal.aborted) throw err;
      this.ctx.kernel.log.debug({ err, host: this.host.url }, 'reading access modes from the host failed');
    }
  }

  /**
   * Runs one direction of sync if the recorded mode allows it. Refused by the host with the
   * guest's current modes: they are recorded, and the direction is skipped if they no longer
   * allow it (else the refusal stands).
   */
  async step(workspaceId: string, need: 'send' | 'receive', fn: () => Promise<void>): Promise<void> {
    const allowed = () => {
      const mode = modeIn(this.host, workspaceId);
      return need === 'send' ? maySend(mode) : mayReceive(mode);
    };
    if (!allowed()) return;
    try {
      await fn();
    } catch (err) {
      const modes = modesOfRefusal(err);
      if (!modes || !(await this.take(modes)) || allowed()) throw err;
      this.ctx.kernel.log.info(
        { host: this.host.url, workspace: workspaceId },
        `the host no longer lets this guest ${need} in the workspace: its access modes were updated from the host's refusal`,
      );
    }
  }
}
