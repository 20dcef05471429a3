import { printableJson } from '../../cli/iso-times.ts';
import { given, text } from '../../cli/options.ts';
import { UsageError } from '../../cli/usage-error.ts';
import { catalogue, MeridianError } from '../../kernel/errors/meridian-error.ts';
import type { CommandSpec } from '../../kernel/module.ts';
import { diagnosisSpecs } from '../diagnose/errors.ts';
import type { DiagnosisReport } from '../diagnose/report.ts';
import type { PkiApi } from '../module.ts';
import { renderDiagnosis } from './doctor-report.ts';

export const doctor: CommandSpec<PkiApi> = {
  name: 'doctor',
  summary: 'Why a site is (not) trusted by the portal, in plain words, and the fix.',
  args: ['URL'],
  options: {
    json: { type: 'boolean', description: 'Print the report as JSON.' },
    trust: {
      type: 'boolean',
      description: 'Import the certificate the diagnosis suggests, then check again (needs --fingerprint).',
    },
    fingerprint: {
      type: 'string',
      valueName: 'SHA256',
      description: "With --trust: the certificate's SHA-256 fingerprint, as checked with the other site.",
    },
    alias: { type: 'string', valueName: 'A', description: 'With --trust: the name it is kept under.' },
  },
  description: `URL is https://host[:port][/path]. Connects with the portal's trust store and address policy, and says whether the portal can trust the site and, if not, every reason why and what to do. --trust imports the certificate the diagnosis suggests (offered only when trusting it alone fixes the connection), only if its SHA-256 fingerprint is the one given (check it with the other site's administrator first).
To check a site on this machine (localhost, 127.0.0.1), add --outbound-allow-loopback true; for a private address refused by outbound.allowPrivate, --outbound-allow-private true.`,
  async run(ctx) {
    const url = ctx.args[0]!;
    const fingerprint = text(ctx.options, 'fingerprint');
    const trust = given(ctx.options, 'trust');
    if (trust && !fingerprint)
      throw new UsageError(
        'meridian doctor --trust: give --fingerprint SHA256, the fingerprint you checked with the other site (run without --trust to see it).',
      );
    const { api } = await ctx.open();
    let report: DiagnosisReport;
    if (trust) {
      const r = await api.trust.trustPresented(url, fingerprint!, text(ctx.options, 'alias'));
      ctx.stdout.write(`Imported into the trust store as '${r.alias}'. Checking again:\n`);
      for (const note of r.notes) ctx.stdout.write(`note: ${note}\n`);
      report = r.diagnosis;
    } else report = await api.outbound.diagnose(url);
    const again = (extra: readonly string[]) => ctx.commandLine(['doctor', url, ...extra]);
    ctx.stdout.write(
      given(ctx.options, 'json') ? printableJson(report) : renderDiagnosis(url, report, again),
    );
    if (report.ok) return;
    // The last line carries the report's own code, whatever kind of problem it is.
    const spec = catalogue.get(report.code) ?? diagnosisSpecs['net.error']!;
    throw new MeridianError(spec, `${url} cannot be trusted yet: see the report above.`);
  },
};
