import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import type { Step } from '../../kernel/pipeline/pipeline.ts';
import { need, type SamlValidation } from './context.ts';
import { SamlSignatureMissing } from './errors.ts';
import { verifyEnveloped } from './signature.ts';
import { attr } from './xml.ts';

/**
 * verify_assertion_signature: the Assertion's own signature (required unless the IdP's policy
 * is 'response', in which case the verified Response signature covers it — directly, or through
 * the ciphertext of an encrypted assertion). Either way the assertion kept is the signed one:
 * from the assertion's signed reference, or from within the signed Response.
 */
export const verifyAssertionSignature: Step<SamlValidation> = {
  name: 'verify_assertion_signature',
  run(ctx) {
    const source = need(ctx.source, 'the assertion');
    const idp = need(ctx.idp, 'the IdP');
    if (source.signature) {
      const signed = verifyEnveloped('Assertion', source.xml, source.target, source.signature, idp);
      ctx.assertion = signed.element;
      ctx.assertionId = attr(signed.element, 'ID');
      return `signed: ${signed.note}`;
    }
    if (idp.requireSigned === 'response' && source.covered) {
      ctx.assertion = source.covered;
      ctx.assertionId = attr(source.covered, 'ID');
      return 'not signed; covered by the Response signature';
    }
    throw new MeridianError(
      SamlSignatureMissing,
      `The Assertion is not signed, and the login of ${idp.entityId} requires it to be (${idp.requireSigned}). ${SamlSignatureMissing.fix}`,
    );
  },
};
