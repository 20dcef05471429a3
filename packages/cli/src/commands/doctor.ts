import { loadFromProcess } from '@meridian/server/config/load.ts';
import { MeridianError } from '@meridian/server/errors/meridian-error.ts';
import { diagnosisSpecs } from '@meridian/server/pki/diagnose/errors.ts';
import type { DiagnosisReport } from '@meridian/server/pki/diagnose/report.ts';
import { trustPresentedCertificate } from '@meridian/server/pki/store/trust-presented.ts';
import { openPortalCore } from '@meridian/server/start-portal.ts';
import { UsageError } from '../usage-error.ts';
import { day, type Flags, flagText, splitFlags } from './own-flags.ts';

const USAGE = `Usage:
  meridian doctor https://host[:port][/path] [--json]
  meridian doctor https://host[:port][/path] --trust --fingerprint SHA256 [--alias A]
Connects with the portal's trust store and address policy, and says in plain words whether the
portal can trust the site and, if not, why and what to do. --trust imports the certificate the
diagnosis suggests, only if its SHA-256 fingerprint is the one given (check it with the other
site's administrator first).
Also takes --home DIR and the other settings flags (e.g. --outbound-allow-loopback true).`;

function render(url: string, r: DiagnosisReport): string {
  const lines: string[] = [];
  lines.push(r.ok ? `${url}: TRUSTED — ${r.message}` : `${url}: PROBLEM (${r.code})`);
  if (!r.ok) {
    lines.push(`  ${r.message}`);
    if (r.certificateNames?.length) lines.push(`  The certificate carries: ${r.certificateNames.join(', ')}`);
    if (r.missingIssuer)
      lines.push(
        `  Missing issuer: ${r.missingIssuer.subject}${r.missingIssuer.caIssuersUrls.length ? ` (download: ${r.missingIssuer.caIssuersUrls.join(', ')})` : ''}`,
      );
    lines.push(`Fix: ${r.fix || diagnosisSpecs[r.code]?.fix || ''}`);
  }
  if (r.address)
    lines.push(
      `Connected to ${r.address}:${r.port}${r.protocol ? ` with ${r.protocol}${r.cipher ? ` ${r.cipher}` : ''}` : ''}`,
    );
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
    lines.push(`  meridian doctor ${url} --trust --fingerprint ${r.suggestedTrust.sha256Fingerprint}`);
  }
  return `${lines.join('\n')}\n`;
}

/** `meridian doctor URL`: the diagnosis of the API, in plain words, with the fix. */
export async function doctorCommand(argv: string[], flags: Flags): Promise<void> {
  const { words, own, settings } = splitFlags(argv, flags, {
    values: ['--fingerprint', '--alias'],
    booleans: ['--trust', '--json'],
  });
  const url = words[0];
  if (!url || words.length > 1) throw new UsageError(`meridian doctor: give one URL.\n${USAGE}`);
  const fingerprint = flagText(own, '--fingerprint', USAGE);
  if (own['--trust'] && !fingerprint)
    throw new UsageError(
      'meridian doctor --trust: give --fingerprint SHA256, the fingerprint you checked with the other site (run without --trust to see it).',
    );
  const core = await openPortalCore(loadFromProcess(settings));
  let report: DiagnosisReport;
  try {
    if (own['--trust']) {
      const r = await trustPresentedCertificate(core, url, fingerprint!, flagText(own, '--alias', USAGE));
      process.stdout.write(`Imported into the trust store as '${r.alias}'. Checking again:\n`);
      report = r.diagnosis;
    } else report = await core.outbound.diagnose(url);
  } finally {
    await core.db.close();
  }
  process.stdout.write(own['--json'] ? `${JSON.stringify(report, null, 2)}\n` : render(url, report));
  if (!report.ok) {
    const spec = diagnosisSpecs[report.code];
    throw new MeridianError(
      spec ?? diagnosisSpecs['net.error']!,
      `${url} cannot be trusted yet: see the report above.`,
    );
  }
}
