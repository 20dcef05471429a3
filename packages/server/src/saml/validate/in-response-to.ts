import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import type { Step } from '../../kernel/pipeline/pipeline.ts';
import { need, type SamlValidation } from './context.ts';
import { SamlInResponseToMissing, SamlInResponseToReused, SamlInResponseToUnknown } from './errors.ts';
import { attr } from './xml.ts';

const quoted = (id: string) => JSON.stringify(id.slice(0, 100));

/**
 * check_in_response_to: the response answers an AuthnRequest this portal sent (the signed bearer
 * confirmation's InResponseTo, which the Response's must equal when it has one), not yet
 * answered and not expired; it is marked answered here, once for every node. Unsolicited
 * responses are refused, unless the IdP's login allows IdP-initiated sign-in (allowUnsolicited)
 * and neither the assertion nor the Response names a request.
 */
export const checkInResponseTo: Step<SamlValidation> = {
  name: 'check_in_response_to',
  async run(ctx) {
    const idp = need(ctx.idp, 'the IdP');
    const id = ctx.inResponseTo;
    const response = ctx.signedResponse ?? need(ctx.envelope, 'the envelope').response;
    if (!id && idp.allowUnsolicited && attr(response, 'InResponseTo') === undefined) {
      // IdP-initiated: nothing to answer; the assertion ID was already recorded (check_replay).
      ctx.request = {
        id: '',
        login: '',
        oauthTransactionId: '',
        idpEntityId: idp.entityId,
        unsolicited: true,
      };
      return 'unsolicited (IdP-initiated sign-in, allowed for this login)';
    }
    if (!id)
      throw new MeridianError(
        SamlInResponseToMissing,
        `The assertion answers no request (no InResponseTo). ${SamlInResponseToMissing.fix}`,
      );
    const envelopeId = attr(response, 'InResponseTo');
    if (envelopeId !== undefined && envelopeId !== id)
      throw new MeridianError(
        SamlInResponseToUnknown,
        `The Response answers ${quoted(envelopeId)} but its assertion answers ${quoted(id)}. ${SamlInResponseToUnknown.fix}`,
      );
    const found = await ctx.env.requests.consume(id, ctx.env.clock.now());
    if (found === 'reused')
      throw new MeridianError(
        SamlInResponseToReused,
        `The request ${quoted(id)} was already answered. ${SamlInResponseToReused.fix}`,
      );
    if (found === 'unknown' || found === 'expired')
      throw new MeridianError(
        SamlInResponseToUnknown,
        `The response answers ${quoted(id)}, ${found === 'unknown' ? 'which this portal never sent' : 'a request that has expired'}. ${SamlInResponseToUnknown.fix}`,
      );
    if (found.idpEntityId !== null && found.idpEntityId !== idp.entityId)
      throw new MeridianError(
        SamlInResponseToUnknown,
        `The request ${quoted(id)} was sent to ${found.idpEntityId}, not to ${idp.entityId}. ${SamlInResponseToUnknown.fix}`,
      );
    ctx.request = found;
    return `request ${id.slice(0, 100)} (login ${found.login})`;
  },
};
