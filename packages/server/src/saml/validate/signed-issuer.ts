import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import type { Step } from '../../kernel/pipeline/pipeline.ts';
import { need, type SamlValidation } from './context.ts';
import { SamlIssuerMismatch, SamlXmlMalformed } from './errors.ts';
import { child, NS, text } from './xml.ts';

/**
 * check_issuer: the signed Assertion (and the signed Response, when it names one) must name the
 * IdP whose keys verified them — one IdP of a federation cannot assert for another.
 */
export const checkIssuer: Step<SamlValidation> = {
  name: 'check_issuer',
  run(ctx) {
    const idp = need(ctx.idp, 'the IdP');
    const assertion = need(ctx.assertion, 'the signed assertion');
    if (!ctx.assertionId)
      throw new MeridianError(SamlXmlMalformed, `The assertion has no ID. ${SamlXmlMalformed.fix}`);
    const named = [
      ['Assertion', child(assertion, NS.saml, 'Issuer')],
      ['Response', ctx.signedResponse && child(ctx.signedResponse, NS.saml, 'Issuer')],
    ] as const;
    for (const [what, el] of named) {
      if (!el && what === 'Response') continue;
      const issuer = el ? text(el) : '';
      if (issuer !== idp.entityId)
        throw new MeridianError(
          SamlIssuerMismatch,
          `The signed ${what} names ${issuer ? JSON.stringify(issuer.slice(0, 200)) : 'no Issuer'}, but was verified with the keys of ${idp.entityId}. ${SamlIssuerMismatch.fix}`,
        );
    }
    return idp.entityId;
  },
};
