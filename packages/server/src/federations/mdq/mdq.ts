/**
 * MDQ, the Metadata Query Protocol (draft-young-md-query, with the SAML profile
 * draft-young-md-query-saml): one identity provider's metadata asked of the federation's
 * query service, `GET <base>/entities/<percent-encoded entity ID>` (or the `{sha1}<hex>`
 * form), answered with a signed md:EntityDescriptor. The answer goes through the same
 * streaming verifier as an aggregate, with the federation's signing keys only (never a key from
 * the document): signature and digest, validUntil required and bounded, cacheDuration read.
 * Its entityID must be the one asked for; only an identity provider is kept.
 */
import { createHash, type KeyObject } from 'node:crypto';
import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import type { OutboundClient } from '../../kernel/outbound/guarded-client.ts';
import { FederationMdqEntityMismatch, FederationMdqUnavailable } from '../errors.ts';
import type { IdpRecord } from '../ingest/idp-record.ts';
import { MetadataVerifier } from '../ingest/metadata-verifier.ts';

export const MDQ_MEDIA_TYPE = 'application/samlmetadata+xml';

/** The query URL of an entity: the base (with or without its final /), /entities/, the identifier encoded. */
export function mdqQueryUrl(base: string, entityId: string, form: 'entityId' | 'sha1' = 'entityId'): string {
  const id =
    form === 'sha1' ? `{sha1}${createHash('sha1').update(entityId, 'utf8').digest('hex')}` : entityId;
  return `${base.replace(/\/+$/, '')}/entities/${encodeURIComponent(id)}`;
}

export interface MdqFetchOptions {
  keys: readonly KeyObject[];
  now: number;
  maxValidityMs: number;
  maxBytes: number;
  timeoutMs: number;
  form?: 'entityId' | 'sha1';
  /** For messages: 'federation <name>'. */
  federation?: string;
}

export type MdqAnswer =
  /** The service does not know the entity (404), or it is not an identity provider. */
  | { kind: 'unknown'; why: string }
  | { kind: 'idp'; record: IdpRecord; validUntil: number; cacheDurationMs: number | null };

/**
 * Asks the MDQ service for one entity through the guarded client (its size and time limits)
 * and verifies the answer. Throws a federation.* error when the service fails or the answer
 * is refused.
 */
export async function fetchMdqEntity(
  client: OutboundClient,
  base: string,
  entityId: string,
  o: MdqFetchOptions,
): Promise<MdqAnswer> {
  const url = mdqQueryUrl(base, entityId, o.form);
  const of = o.federation ? ` of ${o.federation}` : '';
  const unavailable = (why: string, cause?: unknown) =>
    new MeridianError(
      FederationMdqUnavailable,
      `The MDQ service${of} (${url}) ${why}. ${FederationMdqUnavailable.fix}`,
      cause === undefined ? undefined : { cause },
    );
  let answer: Awaited<ReturnType<OutboundClient['stream']>>;
  try {
    answer = await client.stream(url, {
      headers: { accept: `${MDQ_MEDIA_TYPE}, application/xml;q=0.9, text/xml;q=0.8` },
      maxBytes: o.maxBytes,
      timeoutMs: o.timeoutMs,
      idleTimeoutMs: o.timeoutMs,
    });
  } catch (err) {
    throw unavailable(`could not be reached: ${(err as Error)?.message ?? String(err)}`, err);
  }
  if (answer.status === 404) {
    answer.body.destroy();
    return { kind: 'unknown', why: `${url} answered 404: the service does not know this entity` };
  }
  if (answer.status !== 200) {
    answer.body.destroy();
    throw unavailable(`answered ${answer.status} instead of the entity's metadata`);
  }
  const idps: IdpRecord[] = [];
  const verifier = new MetadataVerifier({
    keys: o.keys,
    now: o.now,
    maxValidityMs: o.maxValidityMs,
    root: 'EntityDescriptor',
    what: `The MDQ answer for ${JSON.stringify(entityId.slice(0, 200))}${of}`,
    onIdp: (r) => idps.push(r),
  });
  try {
    for await (const chunk of answer.body as AsyncIterable<Buffer>) verifier.write(chunk);
  } catch (err) {
    answer.body.destroy();
    if (err instanceof MeridianError && err.code.startsWith('federation.')) throw err;
    throw unavailable(`failed while answering: ${(err as Error)?.message ?? String(err)}`, err);
  }
  const meta = verifier.finish();
  // Only now is what was read verified.
  const idp = idps[0];
  if (!idp) return { kind: 'unknown', why: `${url} answered an entity that is not an identity provider` };
  if (idp.entityId !== entityId)
    throw new MeridianError(
      FederationMdqEntityMismatch,
      `The MDQ service${of} answered ${url} with the metadata of ${JSON.stringify(
        idp.entityId.slice(0, 200),
      )}, not of ${JSON.stringify(entityId.slice(0, 200))}. ${FederationMdqEntityMismatch.fix}`,
    );
  return { kind: 'idp', record: idp, validUntil: meta.validUntil, cacheDurationMs: meta.cacheDurationMs };
}
