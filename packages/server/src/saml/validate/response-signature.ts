import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import type { Step } from '../../kernel/pipeline/pipeline.ts';
import { need, type SamlValidation } from './context.ts';
import { SamlSignatureMissing } from './errors.ts';
import { verifyEnveloped } from './signature.ts';

/**
 * verify_response_signature: a Response signature, when present, must verify with the IdP's
 * metadata keys (required when the IdP's policy is 'response' or 'both'). What it covers is
 * re-parsed from the signed reference; later steps read the Response from there.
 */
export const verifyResponseSignature: Step<SamlValidation> = {
  name: 'verify_response_signature',
  run(ctx) {
    const envelope = need(ctx.envelope, 'the envelope');
    const idp = need(ctx.idp, 'the IdP');
    if (!envelope.responseSignature) {
      if (idp.requireSigned !== 'assertion')
        throw new MeridianError(
          SamlSignatureMissing,
          `The Response is not signed, and the login of ${idp.entityId} requires it to be (${idp.requireSigned}). ${SamlSignatureMissing.fix}`,
        );
      return 'not signed (not required)';
    }
    const signed = verifyEnveloped(
      'Response',
      need(ctx.xml, 'the XML'),
      envelope.response,
      envelope.responseSignature,
      idp,
    );
    ctx.signedResponse = signed.element;
    return `signed: ${signed.note}`;
  },
};
