/**
 * `meridian server publish` on a federated server also says what became of the service's
 * registration at the portal: the command process only writes the call to the outbox (it does
 * not deliver: see create-federation.ts), so it waits a few seconds for the running server to
 * deliver it, then reports the portal item, a registration still pending, or one the portal
 * refused — each with the command that shows it.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { catalogue } from '../../kernel/errors/meridian-error.ts';
import type { CommandContext, CommandSpec } from '../../kernel/module.ts';
import type { GisFederationApi, OutboxEntry } from './create-federation.ts';

/** What the report reads: the federation, and the services catalog for the item id. */
export interface PublishReportApi {
  readonly federation: GisFederationApi;
  readonly services: {
    list(): Promise<readonly { folder: string; name: string; portalItemId: string | null }[]>;
  };
}

export interface PublishReportOptions {
  /** How long to wait for the running server to deliver the registration. Default 10 s. */
  waitMs?: number;
  pollMs?: number;
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

type Outcome =
  | { kind: 'registered'; itemId: string }
  | { kind: 'failed'; entry: OutboxEntry }
  | { kind: 'pending'; entry: OutboxEntry | undefined };

async function waitForRegistration(
  api: PublishReportApi,
  service: { folder: string; name: string },
  since: number,
  opts: Required<PublishReportOptions>,
): Promise<Outcome> {
  const deadline = Date.now() + opts.waitMs;
  for (;;) {
    const entry = (await api.federation.pending()).find(
      (e) =>
        e.action === 'register' &&
        e.created >= since &&
        same(e.service.folder, service.folder) &&
        same(e.service.name, service.name),
    );
    if (entry?.state === 'failed') return { kind: 'failed', entry };
    if (!entry) {
      const record = (await api.services.list()).find(
        (r) => same(r.folder, service.folder) && same(r.name, service.name),
      );
      if (record?.portalItemId) return { kind: 'registered', itemId: record.portalItemId };
    }
    if (Date.now() >= deadline) return { kind: 'pending', entry };
    await sleep(opts.pollMs);
  }
}

function report(
  ctx: Pick<CommandContext<unknown>, 'commandLine' | 'stdout' | 'stderr'>,
  portalUrl: string,
  outcome: Outcome,
): number {
  const see = ctx.commandLine(['federation']);
  if (outcome.kind === 'registered') {
    ctx.stdout.write(`Registered at the portal ${portalUrl}: item ${outcome.itemId}\n`);
    return 0;
  }
  if (outcome.kind === 'failed') {
    const e = outcome.entry;
    const fix = e.errorCode ? catalogue.get(e.errorCode)?.fix : undefined;
    ctx.stderr.write(
      `Portal registration FAILED: ${e.lastError ?? 'refused by the portal'}\n` +
        `${fix ? `  Fix: ${fix}\n` : ''}` +
        `  The service is published on this server, but it has no item at the portal. See: ${see}\n`,
    );
    return 1;
  }
  const last = outcome.entry?.lastError;
  ctx.stdout.write(
    `Portal registration pending: the running server registers the service at ${portalUrl} ` +
      `(it is retried while the portal is away; a server that is not running sends it when it starts)` +
      `${last ? `.\n  Last error: ${last}` : ''}\n  See: ${see}\n`,
  );
  return 0;
}

/**
 * The publish command, followed by its portal registration's outcome on a federated server
 * (standalone: the command as it is). A refused registration makes the exit code 1.
 */
export function withPortalRegistrationReport<A extends PublishReportApi>(
  spec: CommandSpec<A>,
  options: PublishReportOptions = {},
): CommandSpec<A> {
  const opts = { waitMs: options.waitMs ?? 10_000, pollMs: options.pollMs ?? 250 };
  return {
    ...spec,
    async run(ctx) {
      const since = Date.now();
      const code = await spec.run(ctx);
      if (code) return code;
      const { api } = await ctx.open();
      const status = api.federation.status();
      if (!status.federated || !status.portalUrl) return code;
      const service = { folder: String(ctx.options.folder ?? ''), name: String(ctx.options.name ?? '') };
      const outcome = await waitForRegistration(api, service, since, opts);
      return report(ctx, status.portalUrl, outcome);
    },
  };
}
