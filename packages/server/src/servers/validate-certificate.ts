/**
 * The certificate check of a federated server's validation: a certificate renewed by a CA the
 * portal trusts is fine (its new fingerprint is recorded); one from a CA the portal does not
 * trust (a new CA, a self-signed one) fails with the diagnosis and the fingerprint to confirm,
 * and validating again with trustPresentedCertificate=<that fingerprint> trusts it.
 */
import type { ServersContext } from './context.ts';
import { listServerRows, type ServerRow, updateServerRow } from './store.ts';
import { certificateToConfirm, trustConfirmed, untrustedError } from './trust-server.ts';

export type CertificateCheck =
  | { ok: true; warnings: boolean }
  | {
      ok: false;
      status: 'failure' | 'undetermined';
      code: string;
      /** The pki diagnosis (trust.unknown_ca, trust.self_signed, …). */
      diagnosisCode: string;
      fingerprintToConfirm?: string;
    };

/** Checks the certificate `row`'s server presents; explains it in `messages`. */
export async function checkCertificate(
  ctx: ServersContext,
  row: ServerRow,
  messages: string[],
  confirmed?: string,
): Promise<CertificateCheck> {
  const url = `${row.url}/rest/info`;
  let report = await ctx.pki.outbound.diagnose(url);
  let added: string | undefined;
  const wasTrusted = report.ok;
  if (!report.ok && report.code.startsWith('trust.') && confirmed) {
    added = await trustConfirmed(ctx.pki, row.url, report, confirmed);
    report = await ctx.pki.outbound.diagnose(url);
    if (!report.ok && added) {
      await ctx.pki.trust.remove(added).catch(() => {});
      ctx.pki.outbound.invalidate();
      added = undefined;
    }
  }
  const leaf = report.presentedChain[0]?.sha256Fingerprint ?? null;
  if (!report.ok) {
    if (!report.code.startsWith('trust.')) {
      messages.push(`Certificate: ${row.name} could not be reached: ${report.message}`);
      return { ok: false, status: 'undetermined', code: report.code, diagnosisCode: report.code };
    }
    const changed = row.cert_fingerprint !== null && leaf !== row.cert_fingerprint;
    const err = untrustedError(row.url, report, changed);
    messages.push(`Certificate: ${err.message}`);
    const confirm = certificateToConfirm(report.presentedChain);
    return {
      ok: false,
      status: 'failure',
      code: err.code,
      diagnosisCode: report.code,
      ...(confirm ? { fingerprintToConfirm: confirm.sha256Fingerprint } : {}),
    };
  }
  if (!wasTrusted) await confirmedNow(ctx, row, leaf, added, messages);
  else {
    if (confirmed) messages.push('Certificate: trusted already; trustPresentedCertificate was not used.');
    if (leaf && row.cert_fingerprint && leaf !== row.cert_fingerprint)
      await renewed(ctx, row, leaf, messages);
    else messages.push(`Certificate: trusted (${report.warnings.join(' ') || 'valid'}).`);
  }
  return { ok: true, warnings: report.warnings.length > 0 };
}

/** A new certificate from a CA the portal trusts (a renewal): its fingerprint is recorded. */
async function renewed(ctx: ServersContext, row: ServerRow, leaf: string, messages: string[]) {
  messages.push(
    `Certificate: ${row.name} presents a new certificate, issued by a CA this portal trusts (renewed by the same CA): nothing to do.`,
  );
  await updateServerRow(ctx.kernel.db.kysely, row.id, {
    cert_fingerprint: leaf,
    modified: ctx.kernel.clock.now(),
  });
  await ctx.keys.changed(row.id);
}

/**
 * The confirmed certificate is trusted now: the server's record takes its trust entry and leaf
 * fingerprint; the entry the federation had added before goes, unless another server uses it.
 */
async function confirmedNow(
  ctx: ServersContext,
  row: ServerRow,
  leaf: string | null,
  added: string | undefined,
  messages: string[],
): Promise<void> {
  const db = ctx.kernel.db.kysely;
  messages.push(
    `Certificate: the confirmed certificate is trusted now${added ? ` (trust entry '${added}')` : ''}.`,
  );
  await updateServerRow(db, row.id, {
    cert_fingerprint: leaf,
    ...(added ? { trust_alias: added } : {}),
    modified: ctx.kernel.clock.now(),
  });
  const old = row.trust_alias;
  if (added && old && old !== added && !(await listServerRows(db)).some((r) => r.trust_alias === old)) {
    await ctx.pki.trust.remove(old).catch(() => {});
    ctx.pki.outbound.invalidate();
    messages.push(`Certificate: the former trust entry '${old}' was removed.`);
  }
  await ctx.keys.changed(row.id);
}
