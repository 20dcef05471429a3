import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import type { Step } from '../../kernel/pipeline/pipeline.ts';
import { need, type SamlValidation } from './context.ts';
import { SamlNameIdMissing } from './errors.ts';
import { timeAttr } from './time.ts';
import { attr, child, children, NS, text } from './xml.ts';

const XSI = 'http://www.w3.org/2001/XMLSchema-instance';

/**
 * extract_assertion: the identity and attributes, from the signed assertion only — the whole
 * text of the NameID (comments are not part of signed content, so a comment cannot cut it),
 * its Format, the AuthnStatement's SessionIndex and AuthnInstant, and each Attribute's values
 * by Name.
 */
export const extractAssertion: Step<SamlValidation> = {
  name: 'extract_assertion',
  run(ctx) {
    const assertion = need(ctx.assertion, 'the signed assertion');
    const idp = need(ctx.idp, 'the IdP');
    const subject = child(assertion, NS.saml, 'Subject');
    const nameIdEl = subject && child(subject, NS.saml, 'NameID');
    const nameId = nameIdEl ? text(nameIdEl) : '';
    if (!nameIdEl || !nameId)
      throw new MeridianError(
        SamlNameIdMissing,
        subject && child(subject, NS.saml, 'EncryptedID')
          ? `The assertion's NameID is encrypted (EncryptedID), which is not supported. ${SamlNameIdMissing.fix}`
          : `The assertion has no NameID. ${SamlNameIdMissing.fix}`,
      );
    const authn = children(assertion, NS.saml, 'AuthnStatement')[0];
    const attributes: Record<string, string[]> = Object.create(null);
    for (const statement of children(assertion, NS.saml, 'AttributeStatement'))
      for (const a of children(statement, NS.saml, 'Attribute')) {
        const name = attr(a, 'Name');
        if (!name) continue;
        const values = children(a, NS.saml, 'AttributeValue')
          .filter((v) => v.getAttributeNS(XSI, 'nil') !== 'true')
          .map(text);
        attributes[name] = [...(attributes[name] ?? []), ...values];
      }
    ctx.result = {
      idpEntityId: idp.entityId,
      nameId,
      nameIdFormat: attr(nameIdEl, 'Format') ?? null,
      sessionIndex: (authn && attr(authn, 'SessionIndex')) ?? null,
      attributes: { ...attributes },
      notOnOrAfter: need(ctx.notOnOrAfter, 'the expiry'),
      authnInstant: (authn && timeAttr(attr(authn, 'AuthnInstant'), 'AuthnInstant')) ?? null,
      inResponseTo: need(ctx.request, 'the request').id,
    };
    return `${Object.keys(attributes).length} attribute(s)`;
  },
};
