/**
 * participants/<id>/validate: this portal reaches a partner through its trust store, as sync
 * does, and says what it finds. A partner whose certificate changed to one from a CA this
 * portal does not trust fails with the pki diagnosis and the fingerprint to confirm; validating
 * again with trustPresentedCertificate=<that fingerprint> trusts exactly that presented
 * certificate (pki trust.trustConfirmed), but only once the portal behind it proves to be the
 * partner (it serves the partnership's portal id and collaboration key); else nothing stays
 * trusted. Then the partnership's signed calls are tried. No restart is needed.
 */
import { isMeridianError, MeridianError } from '../kernel/errors/meridian-error.ts';
import { normaliseFingerprint } from '../pki/module.ts';
import type { CollaborationContext } from './context.ts';
import {
  CollaborationFingerprintMismatch,
  CollaborationPartnerKeyChanged,
  CollaborationUntrustedPartner,
} from './errors.ts';
import { getParticipantRow, type ParticipantRow, setParticipantTrust } from './participant-store.ts';
import { callAsPartner } from './partner-auth.ts';
import type { PartnerDiagnosis } from './partner-http.ts';
import { readKey } from './reach-partner.ts';
import { partnerPath } from './revoke.ts';
import { getCollaborationRow } from './store.ts';

export type PartnerValidationStatus = 'success' | 'failure' | 'undetermined';

export interface PartnerValidation {
  status: PartnerValidationStatus;
  participantId: string;
  portalUrl: string;
  messages: string[];
  /** Why it failed (collaboration.untrusted_certificate, collaboration.partner_key_changed, …). */
  code?: string;
  /** The pki diagnosis of a refused connection (trust.unknown_ca, trust.self_signed, …). */
  diagnosisCode?: string;
  /** The certificate to confirm with the partner's administrator, then give as trustPresentedCertificate. */
  fingerprintToConfirm?: string;
  presentedChain?: { subject: string; issuer: string; sha256Fingerprint: string; isCA: boolean }[];
  /** The trust entry this validation added. */
  trustAlias?: string;
}

/** Where a partner's new certificate is confirmed: this portal's validate resource for it. */
export function validatePath(collaborationId: string, portalId: string): string {
  return `sharing/rest/portals/self/collaborations/${collaborationId}/participants/${portalId}/validate`;
}

/** The fix of a refused partner certificate: confirm its fingerprint at participants/<id>/validate. */
export function confirmFix(collaborationId: string, portalId: string, d: PartnerDiagnosis): string {
  const s = d.suggestedTrust;
  if (!s) return d.fix;
  return `If ${s.subject} is the partner's (compare its SHA-256 fingerprint ${s.sha256Fingerprint} with the partner's administrator), confirm it: POST ${validatePath(collaborationId, portalId)} with trustPresentedCertificate=${s.sha256Fingerprint}. No restart is needed.`;
}

const chainOf = (d: PartnerDiagnosis) =>
  d.presentedChain.map((c) => ({
    subject: c.subject,
    issuer: c.issuer,
    sha256Fingerprint: c.sha256Fingerprint,
    isCA: c.isCA,
  }));

async function forget(ctx: CollaborationContext, alias: string | undefined): Promise<void> {
  if (!alias) return;
  await ctx.pki.trust.remove(alias).catch(() => {});
  ctx.pki.outbound.invalidate();
}

export async function validatePartner(
  ctx: CollaborationContext,
  collaborationId: string,
  portalId: string,
  confirmed?: string,
): Promise<PartnerValidation> {
  const db = ctx.kernel.db.kysely;
  await getCollaborationRow(db, collaborationId);
  const p = await getParticipantRow(db, collaborationId, portalId);
  const messages: string[] = [];
  const out = (status: PartnerValidationStatus, extra: Partial<PartnerValidation> = {}) => ({
    status,
    participantId: p.portal_id,
    portalUrl: p.url,
    messages,
    ...extra,
  });
  let report: PartnerDiagnosis & { ok: boolean } = await ctx.pki.outbound.diagnose(
    `${p.url}/sharing/rest/portals/self/collaborationKey`,
  );
  const wasTrusted = report.ok;
  const first = report;
  let added: string | undefined;
  if (!report.ok && report.code.startsWith('trust.') && confirmed) {
    const trusted = await ctx.pki.trust.trustConfirmed(
      'collaboration',
      p.url,
      report.presentedChain,
      confirmed,
    );
    if (!trusted)
      throw new MeridianError(
        CollaborationFingerprintMismatch,
        `${p.url} presents no certificate with SHA-256 ${confirmed.slice(0, 120)} (it presents ${report.presentedChain
          .map((c) => `${c.subject} (${c.sha256Fingerprint})`)
          .join(', ')}): nothing was trusted. ${CollaborationFingerprintMismatch.fix}`,
        { data: { diagnosisCode: report.code, presentedChain: chainOf(report) } },
      );
    if (trusted.added) added = trusted.alias;
    report = trusted.diagnosis;
    if (!report.ok) await forget(ctx, added);
  }
  if (!report.ok) {
    if (!report.code.startsWith('trust.')) {
      messages.push(`Connection: ${p.url} could not be reached: ${report.message}`);
      return out('undetermined', { diagnosisCode: report.code });
    }
    messages.push(
      `Certificate: this portal does not trust the certificate of ${p.url}. ${report.message} ${confirmFix(collaborationId, p.portal_id, report)}`,
    );
    return out('failure', {
      code: CollaborationUntrustedPartner.code,
      diagnosisCode: report.code,
      presentedChain: chainOf(report),
      ...(report.suggestedTrust ? { fingerprintToConfirm: report.suggestedTrust.sha256Fingerprint } : {}),
    });
  }
  if (wasTrusted && confirmed)
    messages.push('Certificate: trusted already; trustPresentedCertificate was not used.');
  else if (wasTrusted) messages.push('Certificate: trusted.');

  const identity = await checkIdentity(ctx, p, messages);
  if (identity) {
    await forget(ctx, added);
    if (added) messages.push('Certificate: the confirmed certificate was not kept.');
    return out(identity.code === CollaborationPartnerKeyChanged.code ? 'failure' : 'undetermined', identity);
  }
  if (!wasTrusted) await confirmedNow(ctx, p, first, confirmed!, added, messages);

  if (p.state !== 'active') {
    messages.push(`Credentials: the partnership is ${p.state}: no signed call was tried.`);
    return out('failure', { code: 'collaboration.partner_revoked', ...(added ? { trustAlias: added } : {}) });
  }
  try {
    await callAsPartner(ctx, collaborationId, p.portal_id, partnerPath(collaborationId, 'partnerPing'));
    messages.push("Credentials: the partner accepts this portal's signed calls.");
  } catch (err) {
    if (!isMeridianError(err)) throw err;
    messages.push(`Credentials: ${err.message}`);
    return out('failure', { code: err.code, ...(added ? { trustAlias: added } : {}) });
  }
  return out('success', added ? { trustAlias: added } : {});
}

/** The portal at the partner's URL must serve the partnership's portal id and key; answers the problem, if any. */
async function checkIdentity(
  ctx: CollaborationContext,
  p: ParticipantRow,
  messages: string[],
): Promise<{ code: string } | undefined> {
  try {
    const key = await readKey(ctx, p.url);
    if (key.portalId === p.portal_id && key.publicKey === p.public_key) {
      messages.push(`Identity: ${p.url} is portal ${p.portal_id} with the partnership's collaboration key.`);
      return undefined;
    }
    messages.push(
      `Identity: ${p.url} answers portal id ${key.portalId.slice(0, 64)} with ${key.publicKey === p.public_key ? 'the' : 'another'} collaboration key, not the partner ${p.portal_id} this partnership was made with. ${CollaborationPartnerKeyChanged.fix}`,
    );
    return { code: CollaborationPartnerKeyChanged.code };
  } catch (err) {
    if (!isMeridianError(err)) throw err;
    messages.push(`Identity: ${err.message}`);
    return { code: err.code };
  }
}

/** The confirmed certificate is the partner's now: its record takes it; the former entry goes unless another partner uses it. */
async function confirmedNow(
  ctx: CollaborationContext,
  p: ParticipantRow,
  refused: PartnerDiagnosis,
  confirmed: string,
  added: string | undefined,
  messages: string[],
): Promise<void> {
  messages.push(
    `Certificate: the confirmed certificate is trusted now${added ? ` (trust entry '${added}')` : ''}.`,
  );
  if (!added) return;
  const want = normaliseFingerprint(confirmed);
  const fingerprint =
    refused.presentedChain.find((c) => normaliseFingerprint(c.sha256Fingerprint) === want)
      ?.sha256Fingerprint ?? confirmed;
  const db = ctx.kernel.db.kysely;
  const old = p.trust_alias;
  await setParticipantTrust(db, p.collaboration_id, p.portal_id, fingerprint, added, ctx.kernel.clock.now());
  if (!old || old === added) return;
  const others = await db
    .selectFrom('collaboration_participants')
    .select('portal_id')
    .where('trust_alias', '=', old)
    .execute();
  if (others.length) return;
  await forget(ctx, old);
  messages.push(`Certificate: the former trust entry '${old}' was removed.`);
}
