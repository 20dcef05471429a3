/** The diagnosis of a site as `meridian doctor` prints it: plain words, every problem, the fix. */

import { isoDay } from '../../cli/iso-times.ts';
import { flagName } from '../../kernel/config/load.ts';
import { diagnosisSpecs } from '../diagnose/errors.ts';
import { connected, type DiagnosisReport } from '../diagnose/report.ts';

/** `meridian doctor URL` again with these options (and the settings flags it was run with). */
export type Again = (extra: readonly string[]) => string;

/** The setting that refused the address, when the policy did (outbound.address_denied). */
function deniedBy(r: DiagnosisReport): string | undefined {
  if (r.code !== 'outbound.address_denied') return undefined;
  return /outbound\.(allowLoopback|allowPrivate)/.exec(r.message)?.[0];
}

function problemLines(r: DiagnosisReport, again: Again): string[] {
  const lines: string[] = [];
  if (r.problems.length > 1) {
    lines.push(`  ${r.problems.length} problems, all to be fixed:`);
    r.problems.forEach((p, i) => {
      lines.push(`  ${i + 1}. (${p.code}) ${p.message}`);
      lines.push(`     Fix: ${p.fix}`);
    });
  } else lines.push(`  ${r.message}`);
  if (r.certificateNames?.length) lines.push(`  The certificate carries: ${r.certificateNames.join(', ')}`);
  if (r.missingIssuer)
    lines.push(
      `  Missing issuer: ${r.missingIssuer.subject}${r.missingIssuer.caIssuersUrls.length ? ` (download: ${r.missingIssuer.caIssuersUrls.join(', ')})` : ''}`,
    );
  if (r.problems.length <= 1) lines.push(`Fix: ${r.fix || diagnosisSpecs[r.code]?.fix || ''}`);
  const setting = deniedBy(r);
  if (setting)
    lines.push(
      `To check it anyway (a site on this machine or your network), run:\n  ${again([flagName(setting), 'true'])}`,
    );
  return lines;
}

function chainLines(r: DiagnosisReport): string[] {
  if (!r.presentedChain.length) return [];
  const lines = ['Certificates the server presented:'];
  r.presentedChain.forEach((c, i) => {
    lines.push(`  ${i + 1}. ${c.subject}`);
    lines.push(
      `     issued by ${c.issuer}; valid ${isoDay(c.validFrom)} to ${isoDay(c.validUntil)}${c.isCA ? '; a CA' : ''}`,
    );
    if (c.subjectAlternativeNames.length) lines.push(`     names: ${c.subjectAlternativeNames.join(', ')}`);
    lines.push(`     SHA-256 ${c.sha256Fingerprint}`);
  });
  return lines;
}

export function renderDiagnosis(url: string, r: DiagnosisReport, again: Again): string {
  const lines: string[] = [r.ok ? `${url}: TRUSTED — ${r.message}` : `${url}: PROBLEM (${r.code})`];
  if (!r.ok) lines.push(...problemLines(r, again));
  if (connected(r))
    lines.push(
      `Connected to ${r.address}:${r.port}${r.protocol ? ` with ${r.protocol}${r.cipher ? ` ${r.cipher}` : ''}` : ''}`,
    );
  else if (r.address) lines.push(`No connection was made to ${r.address}:${r.port}.`);
  lines.push(...chainLines(r));
  for (const w of r.warnings) lines.push(`Warning: ${w}`);
  if (!r.ok && r.suggestedTrust) {
    lines.push('');
    lines.push(`Trusting this certificate fixes it: ${r.suggestedTrust.subject}`);
    lines.push(`  SHA-256 ${r.suggestedTrust.sha256Fingerprint}`);
    lines.push(
      "Check this fingerprint with the other site's administrator (not through this connection), then run:",
    );
    lines.push(`  ${again(['--trust', '--fingerprint', r.suggestedTrust.sha256Fingerprint])}`);
  }
  return `${lines.join('\n')}\n`;
}
