/**
 * Signed calls between partner portals. The caller sends
 *   X-Meridian-Partner: v1 portal=<its portal id>,ts=<epoch ms>,nonce=<hex>,sig=<base64url>
 * where sig is its collaboration key's Ed25519 signature over
 *   meridian-partner-v1 \n METHOD \n path?query \n collaboration id \n ts \n nonce \n SHA-256(body)
 * and the body digest is of the canonical JSON of its form fields. The callee accepts it only
 * from an active participant of that collaboration, with the participant's key, within ±5
 * minutes of its clock, and once (nonces in the database). The participant is read from the
 * database on every call, so a revoked partnership is refused by every node at once.
 */
import { createHash, randomBytes, verify } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { MeridianError } from '../kernel/errors/meridian-error.ts';
import type { CollaborationContext } from './context.ts';
import { PartnerRevoked, PartnerUnauthenticated } from './errors.ts';
import { publicKeyOf } from './keys.ts';
import { firstUse } from './nonce-store.ts';
import { findParticipantRow, getParticipantRow, type ParticipantRow } from './participant-store.ts';
import { callPartner, type Json } from './partner-http.ts';
import { canonicalJson } from './signed-document.ts';

export const PARTNER_HEADER = 'x-meridian-partner';
export const MAX_SKEW_MS = 5 * 60_000;

function signedText(
  method: string,
  path: string,
  collaborationId: string,
  ts: number,
  nonce: string,
  body: unknown,
) {
  const digest = createHash('sha256')
    .update(canonicalJson(body ?? {}))
    .digest('hex');
  return Buffer.from(
    ['meridian-partner-v1', method.toUpperCase(), path, collaborationId, ts, nonce, digest].join('\n'),
  );
}

/** The header value signing a call (at `at`, default now). */
export async function signCall(
  ctx: CollaborationContext,
  collaborationId: string,
  method: string,
  url: string,
  form: Record<string, string>,
  at?: number,
): Promise<string> {
  const u = new URL(url);
  const ts = at ?? ctx.kernel.clock.now();
  const nonce = randomBytes(16).toString('hex');
  const sig = (await ctx.key()).sign(
    signedText(method, `${u.pathname}${u.search}`, collaborationId, ts, nonce, form),
  );
  return `v1 portal=${await ctx.orgId()},ts=${ts},nonce=${nonce},sig=${sig}`;
}

/** A signed POST to the partner `portalId` of the collaboration, at `path` on its URL (`signal` aborts it). */
export async function callAsPartner(
  ctx: CollaborationContext,
  collaborationId: string,
  portalId: string,
  path: string,
  fields: Record<string, string> = {},
  signal?: AbortSignal,
): Promise<Json> {
  const partner = await getParticipantRow(ctx.kernel.db.kysely, collaborationId, portalId);
  // An ended partnership is not called (its trust entry may be gone too): refused here.
  if (partner.state !== 'active')
    throw new MeridianError(
      PartnerRevoked,
      `The partnership with ${partner.url} (${partner.portal_id}) ended (${partner.state}): this portal no longer calls it. ${PartnerRevoked.fix}`,
    );
  const url = `${partner.url}${path}`;
  const form = { f: 'json', ...fields };
  const header = await signCall(ctx, collaborationId, 'POST', url, form);
  return callPartner(ctx, url, {
    form,
    headers: { [PARTNER_HEADER]: header },
    ...(signal ? { signal } : {}),
  });
}

const refused = (why: string) =>
  new MeridianError(
    PartnerUnauthenticated,
    `This partner call is refused: ${why}. ${PartnerUnauthenticated.fix}`,
  );

function parseHeader(value: string | string[] | undefined) {
  const m =
    /^v1 portal=([^,\s]{1,128}),ts=(\d{1,15}),nonce=([0-9a-f]{16,64}),sig=([A-Za-z0-9_-]{1,200})$/.exec(
      typeof value === 'string' ? value.trim() : '',
    );
  if (!m)
    throw refused(
      value ? `its ${PARTNER_HEADER} header is malformed` : `it carries no ${PARTNER_HEADER} header`,
    );
  return { portal: m[1]!, ts: Number(m[2]), nonce: m[3]!, sig: m[4]! };
}

/** The active participant that signed `req` for `collaborationId`, or the refusal. */
export async function verifyPartnerCall(
  ctx: CollaborationContext,
  req: FastifyRequest,
  collaborationId: string,
): Promise<ParticipantRow> {
  const h = parseHeader(req.headers[PARTNER_HEADER]);
  const now = ctx.kernel.clock.now();
  if (Math.abs(now - h.ts) > MAX_SKEW_MS)
    throw refused(
      `it was signed at ${new Date(h.ts).toISOString()}, more than 5 minutes from this portal's time`,
    );
  const db = ctx.kernel.db.kysely;
  const partner = await findParticipantRow(db, collaborationId, h.portal);
  if (!partner) throw refused(`portal ${h.portal} is not a participant of this collaboration`);
  if (partner.state !== 'active')
    throw new MeridianError(
      PartnerRevoked,
      `The partnership with ${partner.url} (${partner.portal_id}) was revoked. ${PartnerRevoked.fix}`,
    );
  const key = publicKeyOf(partner.public_key);
  const text = signedText(req.method, req.url, collaborationId, h.ts, h.nonce, req.body ?? {});
  if (!key || !verify(null, text, key, Buffer.from(h.sig, 'base64url')))
    throw refused(`its signature does not verify with the key of ${partner.url}`);
  if (!(await firstUse(db, `${h.portal}:${h.nonce}`, now))) throw refused('it was sent before (a replay)');
  return partner;
}
