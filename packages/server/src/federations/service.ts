/**
 * Federations: their sources, the refresh of their metadata as jobs (kind federations.refresh,
 * progress in bytes with the entities read), the schedule that honours cacheDuration within
 * bounds, and the identity providers in use.
 */

import { MeridianError } from '../kernel/errors/meridian-error.ts';
import type { JobContext } from '../kernel/jobs/job.ts';
import type { Kernel } from '../kernel/kernel.ts';
import type { OutboundClient, OutboundClientOptions } from '../kernel/outbound/guarded-client.ts';
import {
  FederationFetchFailed,
  FederationInvalidInput,
  FederationMdqUnavailable,
  FederationNotFound,
} from './errors.ts';
import type { IdpRecord } from './ingest/idp-record.ts';
import { type IngestResult, ingestMetadata, signingKeys } from './ingest/ingest.ts';
import type { VerifiedMetadata } from './ingest/metadata-verifier.ts';
import { fetchMdqEntity } from './mdq/mdq.ts';
import { MdqStore } from './mdq/mdq-store.ts';
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
  /** The signed aggregate; '' for a federation known through MDQ only. */
  metadataUrl: string;
  /** The MDQ base URL (<mdqUrl>/entities/<entity ID>), asked for identity providers not in the aggregate. */
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
  readonly mdq: MdqStore;
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
  /**
   * One identity provider: from the generation in use, else (when the federation has an MDQ
   * service) from the MDQ cache or the service. Undefined when neither knows it; throws a
   * federation.* error when the service fails or its answer is refused and no good entry is
   * cached.
   */
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

function check(f: Partial<NewFederation>, current?: FederationRow): void {
  const bad = (m: string) => new MeridianError(FederationInvalidInput, `${m} ${FederationInvalidInput.fix}`);
  if (f.name !== undefined && !f.name.trim()) throw bad('The federation needs a name.');
  const metadataUrl = f.metadataUrl ?? current?.metadata_url ?? '';
  const mdqUrl = f.mdqUrl === undefined ? (current?.mdq_url ?? null) : f.mdqUrl;
  if (!metadataUrl && !mdqUrl)
    throw bad('The federation needs the URL of its metadata aggregate, of its MDQ service, or both.');
  for (const [k, v] of [
    ['metadataUrl', f.metadataUrl],
    ['mdqUrl', f.mdqUrl],
    ['discoveryUrl', f.discoveryUrl],
  ] as const) {
    if (v === undefined || v === null || v === '') continue;
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
  const mdq = new MdqStore(kernel.db.kysely);
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

  // MDQ queries of this node in flight, by federation and entity (one query per entity at a time).
  const inFlight = new Map<string, Promise<IdpRecord | undefined>>();
  const MAX_IN_FLIGHT = 16;

  /** An identity provider from the MDQ cache, else from the service (then cached). */
  const fromMdq = async (row: FederationRow, entityId: string): Promise<IdpRecord | undefined> => {
    const c = cfg();
    const t = now();
    const cached = await mdq.get(row.id, entityId);
    const goodUntil = cached?.record && cached.valid_until !== null ? Number(cached.valid_until) : 0;
    if (cached && Number(cached.refresh_after) > t) {
      if (!cached.record) return undefined;
      if (goodUntil > t) return JSON.parse(cached.record) as IdpRecord;
    }
    const key = `${row.id}\n${entityId}`;
    const running = inFlight.get(key);
    if (running) return await running;
    if (inFlight.size >= MAX_IN_FLIGHT) {
      if (goodUntil > t) return JSON.parse(cached!.record!) as IdpRecord;
      throw new MeridianError(
        FederationMdqUnavailable,
        `Too many MDQ queries are in flight on this node (${MAX_IN_FLIGHT}); try again in a moment. ${FederationMdqUnavailable.fix}`,
      );
    }
    const ask = async (): Promise<IdpRecord | undefined> => {
      const negativeMs = c.mdqNegativeCacheMinutes * MINUTE;
      let answer: Awaited<ReturnType<typeof fetchMdqEntity>>;
      try {
        answer = await fetchMdqEntity(outbound.client(), row.mdq_url!, entityId, {
          keys: signingKeys(row.signing_certs_pem),
          now: t,
          maxValidityMs: c.maxValidityDays * 86_400_000,
          maxBytes: c.mdqMaxKilobytes * 1024,
          timeoutMs: c.mdqTimeoutSeconds * 1000,
          form: c.mdqIdentifier,
          federation: `federation ${row.name}`,
        });
      } catch (err) {
        const code = err instanceof MeridianError ? err.code : 'federation.mdq_unavailable';
        kernel.log.warn(
          { federation: row.id, entityId: entityId.slice(0, 200), code, err: (err as Error)?.message },
          goodUntil > t
            ? 'MDQ query failed; the cached entry stays in use until its validUntil'
            : 'MDQ query failed',
        );
        // Never replace a good entry: keep it (asked again after the negative delay).
        if (goodUntil > t) {
          await mdq.put({ ...cached!, refresh_after: Math.min(t + negativeMs, goodUntil) });
          return JSON.parse(cached!.record!) as IdpRecord;
        }
        throw err;
      }
      if (answer.kind === 'unknown') {
        // An unsigned 404 does not take a good (signed, still valid) entry away before its validUntil.
        if (goodUntil > t) {
          await mdq.put({ ...cached!, refresh_after: Math.min(t + negativeMs, goodUntil) });
          return JSON.parse(cached!.record!) as IdpRecord;
        }
        await mdq.put({
          federation_id: row.id,
          entity_id: entityId,
          record: null,
          valid_until: null,
          refresh_after: t + negativeMs,
          fetched: t,
        });
        return undefined;
      }
      const wanted = answer.cacheDurationMs ?? c.mdqCacheMinutes * MINUTE;
      const after = Math.max(MINUTE, Math.min(wanted, c.mdqCacheMinutes * MINUTE));
      await mdq.put({
        federation_id: row.id,
        entity_id: entityId,
        record: JSON.stringify(answer.record),
        valid_until: answer.validUntil,
        refresh_after: Math.min(t + after, answer.validUntil),
        fetched: t,
      });
      kernel.log.info({ federation: row.id, entityId: entityId.slice(0, 200) }, 'MDQ entity fetched');
      return answer.record;
    };
    const p = ask().finally(() => inFlight.delete(key));
    inFlight.set(key, p);
    return await p;
  };

  const service: FederationsService = {
    store,
    mdq,
    async add(f) {
      check(f);
      const row = await store.create(f, now());
      kernel.log.info({ federation: row.id, name: row.name }, 'federation added');
      return toFederation(row, now());
    },
    async update(id, f) {
      const before = await must(id);
      check(f, before);
      await store.update(id, f, now());
      const after = await must(id);
      // What was fetched from another service, or verified with another key, is not kept.
      if (after.mdq_url !== before.mdq_url || after.signing_certs_pem !== before.signing_certs_pem)
        await mdq.clear(id);
      return toFederation(after, now());
    },
    async remove(id) {
      await must(id);
      await store.delete(id);
      await mdq.clear(id);
    },
    async get(id) {
      return toFederation(await must(id), now());
    },
    async list() {
      const t = now();
      return (await store.list()).map((r) => toFederation(r, t));
    },
    async refresh(id) {
      const row = await must(id);
      if (!row.metadata_url)
        throw new MeridianError(
          FederationInvalidInput,
          `Federation ${row.name} has no metadata aggregate to load: its identity providers come from its MDQ service (${row.mdq_url}), one at a time when they are needed.`,
        );
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
      const fed = await must(id);
      const row = fed.generation === null ? undefined : await store.idp(id, entityId);
      if (row) return JSON.parse(row.record) as IdpRecord;
      if (!fed.mdq_url || !entityId || entityId.length > 1024) return undefined;
      return await fromMdq(fed, entityId);
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
      await mdq.purge(t).catch((err) => kernel.log.warn({ err }, 'MDQ cache purge failed'));
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
