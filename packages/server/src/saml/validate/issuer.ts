import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import type { Step } from '../../kernel/pipeline/pipeline.ts';
import { need, type SamlValidation } from './context.ts';
import { SamlIssuerUnknown } from './errors.ts';
import { child, NS, text } from './xml.ts';

/**
 * choose_idp: the IdP whose verified metadata keys will verify the message, chosen by the
 * Issuer the message names (the Response's, else its plain Assertion's). The name is not
 * trusted yet: it only selects the keys, and check_issuer later requires the signed content to
 * name the same IdP.
 */
export const chooseIdp: Step<SamlValidation> = {
  name: 'choose_idp',
  async run(ctx) {
    const { response, assertion } = need(ctx.envelope, 'the envelope');
    const issuerEl = child(response, NS.saml, 'Issuer') ?? (assertion && child(assertion, NS.saml, 'Issuer'));
    const issuer = issuerEl ? text(issuerEl) : '';
    if (!issuer)
      throw new MeridianError(
        SamlIssuerUnknown,
        `The SAML response names no Issuer. ${SamlIssuerUnknown.fix}`,
      );
    const idp = await ctx.env.idps.byEntityId(issuer);
    if (!idp)
      throw new MeridianError(
        SamlIssuerUnknown,
        `The SAML response comes from ${JSON.stringify(issuer.slice(0, 200))}, which is not a trusted IdP of this portal. ${SamlIssuerUnknown.fix}`,
      );
    ctx.idp = idp;
    return `${idp.entityId} (${idp.signingCertificates.length} signing certificate(s), requires ${idp.requireSigned} signed${idp.allowSha1 ? ', SHA-1 allowed' : ''})`;
  },
};
