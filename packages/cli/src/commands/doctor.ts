import { flagName } from '@meridian/server/kernel/config/load.ts';
import { catalogue, MeridianError } from '@meridian/server/kernel/errors/meridian-error.ts';
import { diagnosisSpecs } from '@meridian/server/pki/diagnose/errors.ts';
import { connected, type DiagnosisReport } from '@meridian/server/pki/diagnose/report.ts';
import { openPortalNode } from '@meridian/server/roles/portal.ts';
import { type CliContext, loadSettings, nextCommand } from '../cli-context.ts';
import { printableJson } from '../iso-times.ts';
import { UsageError } from '../usage-error.ts';
import { day, type Flags, flagText, splitFlags } from './own-flags.ts';

export const DOCTOR_USAGE = `Usage:
  meridian doctor https://host[:port][/path] [--json]
  meridian doctor https://host[:port][/path] --trust --fingerprint SHA256 [--alias A]
Connects with the portal's trust store and address policy, and says in plain words whether the
portal can trust the site and, if not, every reason why and what to do. --trust imports the
certificate the diagnosis suggests (offered only when trusting it alone fixes the connection),
only if its SHA-256 fingerprint is the one given (check it with the other site's administrator
first).
To check a site on this machine (localhost, 127.0.0.1), add --outbound-allow-loopback true; for a
private address refused by outbound.allowPrivate, --outbound-allow-private true.
Also takes --home DIR and the other settings flags (e.g. --database-url URL).`;

/** The same check again, with the settings flags it was run with (so it reads the same trust store). */
function again(ctx: CliContext, url: string, settings: Flags, extra: Flags): string {
  const words = [url];
  for (const [name, value] of Object.entries(extra))
    words.push(...(value === true ? [name] : [name, String(value)]));
  return nextCommand(ctx, ['doctor', ...words], settings);
}

/** The setting that refused the address, when the policy did (outbound.address_denied). */
function deniedBy(r: DiagnosisReport): string | undefined {
  if (r.code !== 'outbound.address_denied') return undefined;
  return /outbound\.(allowLoopback|allowPrivate)/.exec(r.message)?.[0];
}

function render(url: string, r: DiagnosisReport, ctx: CliContext, settings: Flags): string {
  const lines: string[] = [];
  lines.push(r.ok ? `${url}: TRUSTED — ${r.message}` : `${url}: PROBLEM (${r.code})`);
  if (!r.ok) {
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
        `To check it anyway (a site on this machine or your network), run:\n  ${again(ctx, url, settings, { [flagName(setting)]: 'true' })}`,
      );
  }
  if (connected(r))
    lines.push(
      `Connected to ${r.address}:${r.port}${r.protocol ? ` with ${r.protocol}${r.cipher ? ` ${r.cipher}` : ''}` : ''}`,
    );
  else if (r.address) lines.push(`No connection was made to ${r.address}:${r.port}.`);
  if (r.presentedChain.length) {
    lines.push('Certificates the server presented:');
    r.presentedChain.forEach((c, i) => {
      lines.push(`  ${i + 1}. ${c.subject}`);
      lines.push(
        `     issued by ${c.issuer}; valid ${day(c.validFrom)} to ${day(c.validUntil)}${c.isCA ? '; a CA' : ''}`,
      );
      if (c.subjectAlternativeNames.length) lines.push(`     names: ${c.subjectAlternativeNames.join(', ')}`);
      lines.push(`     SHA-256 ${c.sha256Fingerprint}`);
    });
  }
  for (const w of r.warnings) lines.push(`Warning: ${w}`);
  if (!r.ok && r.suggestedTrust) {
    lines.push('');
    lines.push(`Trusting this certificate fixes it: ${r.suggestedTrust.subject}`);
    lines.push(`  SHA-256 ${r.suggestedTrust.sha256Fingerprint}`);
    lines.push(
      "Check this fingerprint with the other site's administrator (not through this connection), then run:",
    );
    lines.push(
      `  ${again(ctx, url, settings, { '--trust': true, '--fingerprint': r.suggestedTrust.sha256Fingerprint })}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** `meridian doctor URL`: the diagnosis of the API, in plain words, with the fix. */
export async function doctorCommand(argv: string[], flags: Flags, ctx: CliContext): Promise<void> {
  const { words, own, settings } = splitFlags(argv, flags, {
    values: ['--fingerprint', '--alias'],
    booleans: ['--trust', '--json'],
  });
  const url = words[0];
  if (!url || words.length > 1) throw new UsageError(`meridian doctor: give one URL.\n${DOCTOR_USAGE}`);
  const fingerprint = flagText(own, '--fingerprint', DOCTOR_USAGE);
  if (own['--trust'] && !fingerprint)
    throw new UsageError(
      'meridian doctor --trust: give --fingerprint SHA256, the fingerprint you checked with the other site (run without --trust to see it).',
    );
  const node = await openPortalNode(loadSettings(settings, ctx), { logger: false });
  const { pki } = node.modules;
  let report: DiagnosisReport;
  try {
    if (own['--trust']) {
      const r = await pki.trust.trustPresented(url, fingerprint!, flagText(own, '--alias', DOCTOR_USAGE));
      process.stdout.write(`Imported into the trust store as '${r.alias}'. Checking again:\n`);
      for (const note of r.notes) process.stdout.write(`note: ${note}\n`);
      report = r.diagnosis;
    } else report = await pki.outbound.diagnose(url);
  } finally {
    await node.close();
  }
  process.stdout.write(own['--json'] ? printableJson(report) : render(url, report, ctx, settings));
  if (!report.ok) {
    // The last line carries the report's own code, whatever kind of problem it is.
    const spec = catalogue.get(report.code) ?? diagnosisSpecs['net.error']!;
    throw new MeridianError(spec, `${url} cannot be trusted yet: see the report above.`);
  }
}
