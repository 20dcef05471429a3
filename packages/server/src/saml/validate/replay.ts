import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import type { Step } from '../../kernel/pipeline/pipeline.ts';
import { need, type SamlValidation, skewMs } from './context.ts';
import { SamlReplayed } from './errors.ts';

/**
 * check_replay: each assertion ID of an IdP is accepted once. The ID is remembered (in the
 * database, for every node) until the assertion expires — after that it would be refused as
 * expired anyway.
 */
export const checkReplay: Step<SamlValidation> = {
  name: 'check_replay',
  async run(ctx) {
    const idp = need(ctx.idp, 'the IdP');
    const id = need(ctx.assertionId, 'the assertion ID');
    const expires = need(ctx.notOnOrAfter, 'the expiry') + skewMs(ctx);
    const now = ctx.env.clock.now();
    if (!(await ctx.env.replay.remember(idp.entityId, id, expires, now)))
      throw new MeridianError(
        SamlReplayed,
        `The assertion ${JSON.stringify(id.slice(0, 100))} of ${idp.entityId} was already used. ${SamlReplayed.fix}`,
      );
    return `assertion ${id.slice(0, 100)} first seen`;
  },
};
