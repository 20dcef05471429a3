/**
 * Federations: their sources, the refresh of their metadata as jobs (kind federations.refresh,
 * progress in bytes with the entities read), the schedule that honours cacheDuration within
 * bounds, and the identity providers in use.
 */

import { MeridianError } from '../kernel/errors/meridian-error.ts';
import type { JobContext } from '../kernel/jobs/job.ts';
import type { Kernel } from '../kernel/kernel.ts';
import type { OutboundClient, OutboundClientOptions } from '../kernel/outbound/guarded-client.ts';
import { FederationFetchFailed, FederationInvalidInput, FederationNotFound } from './errors.ts';
import type { IdpRecord } from './ingest/idp-record.ts';
import { type IngestResult, ingestMetadata, signingKeys } from './ingest/ingest.ts';
import type { VerifiedMetadata } from './ingest/metadata-verifier.ts';
import { queryWords } from './search/terms.ts';
import { type FederationRow, FederationStore, type NewFederation } from './store/federation-store.ts';

export const REFRESH_JOB = 'federations.refresh';
const MINUTE = 60_000;

/** The guarded outbound client (the pki module's), with this module's limits applied. */
export interface OutboundPort {
  client(overrides?: Partial<OutboundClientOptions>): OutboundClient;
}

/** A federation as the API shows it. Times are epoch ms. */
export interface Federation {
  id: string;
  name: string;
  metadataUrl: string;
  mdqUrl: string | null;
  discoveryUrl: string | null;
  signingCertificates: string;
  validUntil: number | null;
  cacheDurationMs: number | null;
  entities: number;
  identityProviders: number;
  metadataBytes: number;
  lastSuccess: number | null;
  lastAttempt: number | null;
  lastError: { code: string; message: string } | null;
  nextRefresh: number;
  refreshing: boolean;
}

export function toFederation(r: FederationRow, now: number): Federation {
  return {
    id: r.id,
    name: r.name,
    metadataUrl: r.metadata_url,
    mdqUrl: r.mdq_url,
    discoveryUrl: r.discovery_url,
    signingCertificates: r.signing_certs_pem,
    validUntil: r.valid_until === null ? null : Number(r.valid_until),
    cacheDurationMs: r.cache_duration_ms === null ? null : Number(r.cache_duration_ms),
    entities: Number(r.entity_count),
    identityProviders: Number(r.idp_count),
    metadataBytes: Number(r.metadata_bytes),
    lastSuccess: r.last_success === null ? null : Number(r.last_success),
    lastAttempt: r.last_attempt === null ? null : Number(r.last_attempt),
    lastError: r.last_error_code ? { code: r.last_error_code, message: r.last_error_message ?? '' } : null,
    nextRefresh: Number(r.next_refresh),
    refreshing: r.refresh_lease_owner !== null && Number(r.refresh_lease_expires) > now,
  };
}

export interface FederationsService {
  readonly store: FederationStore;
  add(f: NewFederation): Promise<Federation>;
  update(id: string, f: Partial<NewFederation>): Promise<Federation>;
  remove(id: string): Promise<void>;
  get(id: string): Promise<Federation>;
  list(): Promise<Federation[]>;
  /** Starts a refresh job now; resolves with the job's id. */
  refresh(id: string): Promise<string>;
  /**
   * Ingests metadata from a stream (a file, a test) under the federation's lease, as a refresh
   * does after its download; records a failure the same way.
   */
  ingest(
    id: string,
    source: AsyncIterable<Uint8Array | string>,
    opts?: {
      owner?: string;
      onProgress?: (p: { bytes: number; entities: number; idps: number }) => void;
      signal?: AbortSignal;
    },
  ): Promise<IngestResult>;
  identityProviders(
    id: string,
    opts?: { start?: number; num?: number; q?: string },
  ): Promise<{ total: number; identityProviders: IdpRecord[] }>;
  identityProvider(id: string, entityId: string): Promise<IdpRecord | undefined>;
  /**
   * The discovery search: the identity providers in use each of whose words begins one of
   * their names' words, a scope, a domain hint or their host (search/terms.ts), by display name.
   */
  search(
    id: string,
    q: string,
    opts?: { start?: number; num?: number },
  ): Promise<{ total: number; identityProviders: IdpRecord[] }>;
  /** Every identity provider in use, in pages (for the DiscoFeed), without holding them all. */
  allIdentityProviders(id: string): AsyncGenerator<IdpRecord[]>;
  /** Starts the due refreshes once (the schedule calls it; tests too). Returns the jobs started. */
  runSchedule(): Promise<string[]>;
  /** When to refresh after good metadata: cacheDuration (else the default), bounded, and before validUntil. */
  nextRefresh(m: Pick<VerifiedMetadata, 'cacheDurationMs' | 'validUntil'>, now: number): number;
}

function check(f: Partial<NewFederation>): void {
  const bad = (m: string) => new MeridianError(FederationInvalidInput, `${m} ${FederationInvalidInput.fix}`);
  if (f.name !== undefined && !f.name.trim()) throw bad('The federation needs a name.');
  for (const [k, v] of [
    ['metadataUrl', f.metadataUrl],
    ['mdqUrl', f.mdqUrl],
    ['discoveryUrl', f.discoveryUrl],
  ] as const) {
    if (v === undefined || v === null || (k !== 'metadataUrl' && v === '')) continue;
    let u: URL;
    try {
      u = new URL(v);
    } catch {
      throw bad(`${k} "${v}" is not a URL.`);
    }
    if (u.protocol !== 'https:' && u.protocol !== 'http:') throw bad(`${k} "${v}" is not an https:// URL.`);
  }
  if (f.signingCertsPem !== undefined) signingKeys(f.signingCertsPem);
}

export function createFederationsService(kernel: Kernel, outbound: OutboundPort): FederationsService {
  const store = new FederationStore(kernel.db.kysely);
  const cfg = () => kernel.config.federations;
  const now = () => kernel.clock.now();
  const leaseMs = () => (cfg().fetchTimeoutSeconds + 300) * 1000;

  const must = async (id: string) => {
    const row = await store.get(id);
    if (!row)
      throw new MeridianError(FederationNotFound, `There is no federation ${id}. ${FederationNotFound.fix}`);
    return row;
  };

  const nextRefresh: FederationsService['nextRefresh'] = (m, t) => {
    const c = cfg();
    const wanted = m.cacheDurationMs ?? c.defaultRefreshMinutes * MINUTE;
    let after = Math.min(Math.max(wanted, c.minRefreshMinutes * MINUTE), c.maxRefreshMinutes * MINUTE);
    // Never let metadata in use expire for want of a refresh: at the latest halfway to validUntil.
    after = Math.min(after, Math.max(c.minRefreshMinutes * MINUTE, (m.validUntil - t) / 2));
    return t + Math.round(after);
  };

  const service: FederationsService = {
    store,
    async add(f) {
      check(f);
      const row = await store.create(f, now());
      kernel.log.info({ federation: row.id, name: row.name }, 'federation added');
      return toFederation(row, now());
    },
    async update(id, f) {
      check(f);
      await must(id);
      await store.update(id, f, now());
      return toFederation(await must(id), now());
    },
    async remove(id) {
      await must(id);
      await store.delete(id);
    },
    async get(id) {
      return toFederation(await must(id), now());
    },
    async list() {
      const t = now();
      return (await store.list()).map((r) => toFederation(r, t));
    },
    async refresh(id) {
      await must(id);
      return await kernel.jobs.start(REFRESH_JOB, { federationId: id });
    },

    async ingest(id, source, opts = {}) {
      const row = await must(id);
      const owner = opts.owner ?? `ingest-${Math.random().toString(36).slice(2)}`;
      const t = now();
      if (!(await store.takeLease(id, owner, t, t + leaseMs())))
        throw new MeridianError(
          FederationFetchFailed,
          `A refresh of federation ${row.name} is already running on another node or job; try again when it has ended.`,
        );
      try {
        const result = await ingestMetadata(store, row, source, {
          now: t,
          maxValidityMs: cfg().maxValidityDays * 86_400_000,
          nextRefresh: (m) => nextRefresh(m, t),
          onProgress: opts.onProgress,
          signal: opts.signal,
          what: `The metadata of federation ${row.name}`,
        });
        kernel.log.info(
          { federation: id, entities: result.entities, idps: result.stored, bytes: result.bytes },
          'federation metadata ingested',
        );
        return result;
      } catch (err) {
        const e = err instanceof MeridianError ? err : undefined;
        const code = e?.code ?? 'federation.refresh_failed';
        const message = (err as Error)?.message ?? String(err);
        await store.recordFailure(id, code, message, now(), now() + cfg().minRefreshMinutes * MINUTE);
        kernel.log.warn(
          { federation: id, code, err: message },
          'federation metadata refused; the last good metadata stays in use',
        );
        throw err;
      } finally {
        await store.releaseLease(id, owner);
      }
    },

    async identityProviders(id, opts = {}) {
      await must(id);
      const { total, rows } = await store.idps(id, {
        start: opts.start ?? 1,
        num: opts.num ?? 10,
        q: opts.q,
      });
      return { total, identityProviders: rows.map((r) => JSON.parse(r.record) as IdpRecord) };
    },
    async identityProvider(id, entityId) {
      await must(id);
      const row = await store.idp(id, entityId);
      return row ? (JSON.parse(row.record) as IdpRecord) : undefined;
    },

    async search(id, q, opts = {}) {
      await must(id);
      const { total, rows } = await store.search(id, queryWords(q), {
        start: Math.max(1, opts.start ?? 1),
        num: Math.min(Math.max(1, opts.num ?? 20), 100),
      });
      return { total, identityProviders: rows.map((r) => JSON.parse(r.record) as IdpRecord) };
    },
    async *allIdentityProviders(id) {
      await must(id);
      for await (const rows of store.allIdps(id)) yield rows.map((r) => JSON.parse(r.record) as IdpRecord);
    },

    async runSchedule() {
      const started: string[] = [];
      const t = now();
      for (const f of await store.due(t)) {
        // Compare and set: of several nodes, the one that moves next_refresh starts the job.
        if (!(await store.claimDue(f.id, Number(f.next_refresh), t + leaseMs()))) continue;
        started.push(await kernel.jobs.start(REFRESH_JOB, { federationId: f.id, scheduled: true }));
      }
      return started;
    },
    nextRefresh,
  };

  kernel.jobs.register(REFRESH_JOB, async (job: JobContext<{ federationId: string }>) => {
    const row = await must(job.input.federationId);
    const c = cfg();
    const client = outbound.client({
      streamMaxBytes: c.maxMegabytes * 1024 * 1024,
      streamTimeoutMs: c.fetchTimeoutSeconds * 1000,
    });
    let total: number | null = null;
    const source = async function* () {
      const answer = await client.stream(row.metadata_url, {
        headers: { accept: 'application/samlmetadata+xml, application/xml;q=0.9, text/xml;q=0.8' },
      });
      if (answer.status !== 200) {
        answer.body.destroy();
        throw new MeridianError(
          FederationFetchFailed,
          `${row.metadata_url} answered ${answer.status} instead of the metadata. ${FederationFetchFailed.fix}`,
        );
      }
      const length = Number(answer.headers['content-length']);
      total = Number.isFinite(length) ? length : null;
      yield* answer.body as AsyncIterable<Buffer>;
    };
    const r = await service.ingest(row.id, source(), {
      owner: job.id,
      signal: job.signal,
      onProgress: (p) =>
        job.progress(p.bytes, total, `${p.entities} entities read, ${p.idps} identity providers`),
    });
    return {
      federationId: row.id,
      entities: r.entities,
      identityProviders: r.stored,
      bytes: r.bytes,
      validUntil: r.validUntil,
      cacheDurationMs: r.cacheDurationMs,
    };
  });

  return service;
}

export function startSchedule(kernel: Kernel, service: FederationsService, everyMs = MINUTE): () => void {
  const tick = () =>
    service.runSchedule().catch((err) => kernel.log.warn({ err }, 'federation refresh schedule failed'));
  const timer = setInterval(tick, everyMs);
  timer.unref();
  void tick();
  return () => clearInterval(timer);
}
