/**
 * One ingest: the metadata's bytes, as they arrive, through the streaming verifier; its
 * identity providers written in batches into a new generation that nobody reads yet; at the
 * end, when the digest matched, the switch to that generation in one transaction. Any failure
 * (a refused document, a cut connection, a cancel) drops the new rows: what was in use stays.
 */
import { createPublicKey, type KeyObject, X509Certificate } from 'node:crypto';
import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import { FederationInvalidInput } from '../errors.ts';
import { idpTerms } from '../search/terms.ts';
import type { FederationStore, IdpRow } from '../store/federation-store.ts';
import { preferredName } from './idp-record.ts';
import { MetadataVerifier, type VerifiedMetadata } from './metadata-verifier.ts';

export interface IngestOptions {
  now: number;
  maxValidityMs: number;
  /** When to refresh next, from what was read (cacheDuration, validUntil). */
  nextRefresh(m: VerifiedMetadata): number;
  /** Rows per insert, at most. Default 500. */
  batchSize?: number;
  /**
   * Characters of records per insert, at most (default 64 Ki). Rows wait in the heap for their
   * insert; few of them at a time is what keeps V8's young generation from growing with the
   * rows that outlive its collections, and the old one from filling with them.
   */
  batchChars?: number;
  onProgress?(p: { bytes: number; entities: number; idps: number }): void;
  signal?: AbortSignal;
  what?: string;
}

export interface IngestResult extends VerifiedMetadata {
  generation: number;
  /** Identity providers stored (a repeated entity ID counts once). */
  stored: number;
}

const PEM = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** The public keys of the federation's signing certificates (PEM, several for a rollover; bare Base64 too). */
export function signingKeys(pemText: string): KeyObject[] {
  const text = pemText.trim();
  const pems =
    text.match(PEM) ?? (text ? [`-----BEGIN CERTIFICATE-----\n${text}\n-----END CERTIFICATE-----`] : []);
  try {
    const keys = pems.map((p) =>
      createPublicKey(new X509Certificate(p).publicKey.export({ type: 'spki', format: 'pem' })),
    );
    if (keys.length) return keys;
  } catch {
    // below
  }
  throw new MeridianError(
    FederationInvalidInput,
    `The federation's signing certificate is not a certificate in PEM or Base64. ${FederationInvalidInput.fix}`,
  );
}

export async function ingestMetadata(
  store: FederationStore,
  federation: { id: string; signing_certs_pem: string },
  source: AsyncIterable<Uint8Array | string>,
  o: IngestOptions,
): Promise<IngestResult> {
  const keys = signingKeys(federation.signing_certs_pem);
  const generation = await store.beginGeneration(federation.id);
  const batchSize = o.batchSize ?? 500;
  const batchChars = o.batchChars ?? 64 * 1024;
  let batch: IdpRow[] = [];
  let chars = 0;
  const verifier = new MetadataVerifier({
    keys,
    now: o.now,
    maxValidityMs: o.maxValidityMs,
    root: 'EntitiesDescriptor',
    what: o.what,
    onIdp: (rec) => {
      const record = JSON.stringify(rec);
      chars += record.length;
      batch.push({
        entity_id: rec.entityId,
        display_name: preferredName(rec).slice(0, 500),
        record,
        terms: idpTerms(rec),
      });
    },
  });
  // One insert in flight while the parser goes on (its rows already out of the batch): with
  // PostgreSQL the round trip overlaps the parsing. Its failure is thrown at the next flush.
  let inFlight: Promise<void> = Promise.resolve();
  const flush = async () => {
    const rows = batch;
    batch = [];
    chars = 0;
    await inFlight;
    if (!rows.length) return;
    inFlight = store.insertBatch(federation.id, generation, rows);
    inFlight.catch(() => {});
  };
  try {
    for await (const chunk of source) {
      o.signal?.throwIfAborted();
      verifier.write(chunk);
      if (batch.length >= batchSize || chars >= batchChars) await flush();
      o.onProgress?.({ bytes: verifier.bytes, entities: verifier.entities, idps: verifier.idps });
    }
    o.signal?.throwIfAborted();
    const meta = verifier.finish();
    await flush();
    await inFlight;
    const stored = await store.commitGeneration(federation.id, generation, {
      validUntil: meta.validUntil,
      cacheDurationMs: meta.cacheDurationMs,
      entities: meta.entities,
      bytes: meta.bytes,
      now: o.now,
      nextRefresh: o.nextRefresh(meta),
    });
    o.onProgress?.({ bytes: meta.bytes, entities: meta.entities, idps: meta.idps });
    return { ...meta, generation, stored };
  } catch (err) {
    batch = [];
    await inFlight.catch(() => {});
    await store.discardGeneration(federation.id, generation);
    throw err;
  }
}
