import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import type { Step } from '../../kernel/pipeline/pipeline.ts';
import { need, type SamlValidation } from './context.ts';
import { SamlAssertionMissing } from './errors.ts';
import { checkAssertionShape } from './structure.ts';
import { child, NS, parseXml } from './xml.ts';
import { decryptAssertion } from './xmlenc.ts';

/**
 * decrypt_assertion: finds the assertion to verify. An EncryptedAssertion is decrypted with the
 * SP's keys — taken from the signed Response when it is signed (so that the Response signature,
 * checked first, covers the ciphertext and no tampered ciphertext reaches the decryption) — and
 * its plaintext parsed like any untrusted input (DOCTYPE refused, one shape). A plain Assertion
 * is left for verify_assertion_signature.
 */
export const decryptStep: Step<SamlValidation> = {
  name: 'decrypt_assertion',
  run(ctx) {
    const envelope = need(ctx.envelope, 'the envelope');
    const idp = need(ctx.idp, 'the IdP');
    const signed = ctx.signedResponse;
    if (envelope.encryptedAssertion) {
      const encrypted = signed ? child(signed, NS.saml, 'EncryptedAssertion')! : envelope.encryptedAssertion;
      const xml = decryptAssertion(encrypted, idp.decryptionKeys);
      const assertion = parseXml(xml, 'decrypted assertion');
      const signature = checkAssertionShape(assertion);
      ctx.source = { xml, target: assertion, signature, covered: signed ? assertion : undefined };
      return `decrypted (${signature ? 'assertion signed' : 'assertion unsigned'})`;
    }
    if (!envelope.assertion)
      throw new MeridianError(
        SamlAssertionMissing,
        `The response carries no assertion. ${SamlAssertionMissing.fix}`,
      );
    ctx.source = {
      xml: need(ctx.xml, 'the XML'),
      target: envelope.assertion,
      signature: envelope.assertionSignature,
      covered: signed ? child(signed, NS.saml, 'Assertion') : undefined,
    };
    return 'not encrypted';
  },
};
