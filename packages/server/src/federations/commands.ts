/** `meridian federations list` and `meridian federations refresh ID` (a job, with a progress bar). */
import { setTimeout as sleep } from 'node:timers/promises';
import { catalogue, MeridianError } from '../kernel/errors/meridian-error.ts';
import { JobFailed } from '../kernel/jobs/errors.ts';
import { ENDED } from '../kernel/jobs/job.ts';
import type { CommandSpec } from '../kernel/module.ts';
import type { Federation, FederationsService } from './service.ts';

const iso = (t: number | null) => (t === null ? '-' : new Date(t).toISOString().replace(/\.\d+Z$/, 'Z'));

/** A federation in a few lines: the metadata in use, the last refresh, the next. */
export function federationText(f: Federation): string {
  const inUse =
    f.lastSuccess === null
      ? 'no metadata loaded yet'
      : `${f.identityProviders} identity providers of ${f.entities} entities, valid until ${iso(f.validUntil)}, loaded ${iso(f.lastSuccess)}`;
  const last = f.lastError
    ? `last refresh ${iso(f.lastAttempt)} failed [${f.lastError.code}]: ${f.lastError.message}`
    : f.lastAttempt === null
      ? 'never refreshed'
      : `last refresh ${iso(f.lastAttempt)} succeeded`;
  return `${f.id}  ${f.name}${f.refreshing ? '  (refreshing)' : ''}
  ${f.metadataUrl}
  ${inUse}
  ${last}; next ${iso(f.nextRefresh)}
`;
}

const federationsList: CommandSpec<FederationsService> = {
  name: 'federations list',
  summary: 'The federations and the state of their metadata (in use, last refresh and why it failed).',
  options: { json: { type: 'boolean', description: 'As JSON (the API’s portaladmin/federations).' } },
  async run(ctx) {
    const { api } = await ctx.open();
    const all = await api.list();
    if (ctx.options.json) ctx.stdout.write(`${JSON.stringify({ federations: all }, null, 2)}\n`);
    else if (!all.length) ctx.stdout.write('No federations (a SAML federation login adds one).\n');
    else ctx.stdout.write(all.map(federationText).join('\n'));
    return 0;
  },
};

export function federationsRefresh(pollMs = 250): CommandSpec<FederationsService> {
  return {
    name: 'federations refresh',
    summary:
      'Loads a federation’s metadata now (a job), with a progress bar; exit code 0 only if it succeeded.',
    args: ['ID'],
    description:
      'A refused or failed load keeps the metadata in use; its reason is printed with its code, and shown by federations list.',
    async run(ctx) {
      const { api, kernel } = await ctx.open();
      const id = ctx.args[0]!;
      const jobId = await api.refresh(id);
      ctx.stderr.write(`${jobId}: refreshing\n`);
      const bar = ctx.progress?.('federations.refresh');
      let j = await kernel.jobs.get(jobId);
      try {
        for (;;) {
          bar?.update(j.progress);
          if (ENDED.has(j.status)) break;
          await sleep(pollMs);
          j = await kernel.jobs.get(jobId);
        }
      } finally {
        bar?.stop();
      }
      const f = await api.get(id);
      ctx.stdout.write(federationText(f));
      if (j.status !== 'succeeded') {
        const spec = catalogue.get(j.error?.code ?? '') ?? JobFailed;
        throw new MeridianError(
          spec,
          `The refresh of ${f.name} ${j.status}: ${j.error?.message ?? 'no reason given'} (the metadata in use stays).`,
        );
      }
      return 0;
    },
  };
}

export const federationCommands = [federationsList, federationsRefresh()];
