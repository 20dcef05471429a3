import { catalogue } from '../../kernel/errors/meridian-error.ts';
import type { CommandSpec } from '../../kernel/module.ts';
import type { GisFederationApi, OutboxEntry } from './create-federation.ts';
import { servicePathOf } from './outbox.ts';

const iso = (ms: number) => new Date(ms).toISOString();

/** One outbox entry as the CLI writes it: the call, its state, its last error and that error's fix. */
export function describeOutboxEntry(e: OutboxEntry): string[] {
  const what = `${e.action} ${servicePathOf(e.service)} (${e.service.type})`;
  const fix = e.errorCode ? catalogue.get(e.errorCode)?.fix : undefined;
  if (e.state === 'failed')
    return [
      `  ${what}: FAILED after ${e.attempts} attempt(s), not retried: ${e.lastError ?? 'refused by the portal'}`,
      ...(fix ? [`    Fix: ${fix}`] : []),
    ];
  const when = e.attempts ? `${e.attempts} attempt(s), next ${iso(e.nextAttempt)}` : 'not sent yet';
  return [`  ${what}: pending, ${when}${e.lastError ? `; last error: ${e.lastError}` : ''}`];
}

/** `meridian server federation`: the portal this server is federated with, and the calls still owed to it. */
export const federationCommand: CommandSpec<{ readonly federation: GisFederationApi }> = {
  name: 'federation',
  summary: 'The portal this server is federated with (since when) and the portal calls pending or failed.',
  description:
    'A federated server registers the services created on it at its portal and unregisters deleted ones. Those calls wait in an outbox: the running server delivers them, retrying with backoff while the portal is down or failing. A call the portal refuses (its answer says the call itself is wrong) is kept as failed with the error and its fix; --retry sends the failed calls again once the cause is fixed.',
  options: {
    json: { type: 'boolean', description: 'Print the state as JSON.' },
    retry: {
      type: 'boolean',
      description: 'Send the failed portal calls again (the running server delivers them).',
    },
  },
  async run(ctx) {
    const { api } = await ctx.open();
    const retried = ctx.options.retry ? await api.federation.retryFailed() : undefined;
    const status = api.federation.status();
    const entries = await api.federation.pending();
    if (ctx.options.json) {
      ctx.stdout.write(
        `${JSON.stringify({ ...status, ...(retried === undefined ? {} : { retried }), pending: entries }, null, 2)}\n`,
      );
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
    if (retried !== undefined)
      out.push(
        retried
          ? `${retried} failed portal call(s) will be sent again by the running server.`
          : 'No failed portal calls to send again.',
      );
    const pending = entries.filter((e) => e.state === 'pending');
    const failed = entries.filter((e) => e.state === 'failed');
    out.push(pending.length ? `Pending portal calls: ${pending.length}` : 'Pending portal calls: none');
    for (const e of pending) out.push(...describeOutboxEntry(e));
    if (failed.length) {
      out.push(`Failed portal calls (refused by the portal, not retried): ${failed.length}`);
      for (const e of failed) out.push(...describeOutboxEntry(e));
      out.push('Once the cause is fixed: meridian server federation --retry');
    }
    ctx.stdout.write(`${out.join('\n')}\n`);
    return 0;
  },
};
