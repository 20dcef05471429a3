import type { CommandSpec } from '../../kernel/module.ts';
import type { GisFederationApi } from './create-federation.ts';

const iso = (ms: number) => new Date(ms).toISOString();

/** `meridian server federation`: the portal this server is federated with, and the calls still owed to it. */
export const federationCommand: CommandSpec<{ readonly federation: GisFederationApi }> = {
  name: 'federation',
  summary: 'The portal this server is federated with (since when) and the portal calls still pending.',
  description:
    'A federated server registers the services created on it at its portal and unregisters deleted ones; while the portal is down those calls wait in an outbox and are retried with backoff by the running server. This shows them, with the last error of each.',
  options: { json: { type: 'boolean', description: 'Print the state as JSON.' } },
  async run(ctx) {
    const { api } = await ctx.open();
    const status = api.federation.status();
    const pending = await api.federation.pending();
    if (ctx.options.json) {
      ctx.stdout.write(`${JSON.stringify({ ...status, pending }, null, 2)}\n`);
      return 0;
    }
    const out: string[] = [];
    if (!status.federated)
      out.push('Not federated: this server authenticates with its own users (GIS_SERVER).');
    else
      out.push(
        `Federated with the portal ${status.portalUrl} (id ${status.portalId}) since ${iso(status.since!)}.`,
        `The portal knows this server as ${status.serverId}; its tokens for it are verified here.`,
      );
    out.push(pending.length ? `Pending portal calls: ${pending.length}` : 'Pending portal calls: none');
    for (const e of pending)
      out.push(
        `  ${e.action} ${e.serviceUrl}: ${e.attempts} attempt(s), next ${iso(e.nextAttempt)}${e.lastError ? `; last error: ${e.lastError}` : ''}`,
      );
    ctx.stdout.write(`${out.join('\n')}\n`);
    return 0;
  },
};
