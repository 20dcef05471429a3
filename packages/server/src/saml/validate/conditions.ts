import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import type { Step } from '../../kernel/pipeline/pipeline.ts';
import { need, type SamlValidation } from './context.ts';
import { SamlAudienceMismatch } from './errors.ts';
import { checkWindow, timeAttr } from './time.ts';
import { attr, child, children, NS, text } from './xml.ts';

/**
 * check_conditions: the signed assertion's Conditions — its validity window (with the allowed
 * clock skew), and every AudienceRestriction naming this portal's SP entity ID (the Web Browser
 * SSO profile requires one).
 */
export const checkConditions: Step<SamlValidation> = {
  name: 'check_conditions',
  run(ctx) {
    const assertion = need(ctx.assertion, 'the signed assertion');
    const sp = ctx.env.sp.entityId;
    const conditions = child(assertion, NS.saml, 'Conditions');
    const restrictions = conditions ? children(conditions, NS.saml, 'AudienceRestriction') : [];
    if (!restrictions.length)
      throw new MeridianError(
        SamlAudienceMismatch,
        `The assertion has no AudienceRestriction; it must name ${sp}. ${SamlAudienceMismatch.fix}`,
      );
    for (const r of restrictions) {
      const audiences = children(r, NS.saml, 'Audience').map(text);
      if (!audiences.includes(sp))
        throw new MeridianError(
          SamlAudienceMismatch,
          `The assertion is meant for ${audiences.map((a) => JSON.stringify(a.slice(0, 200))).join(', ') || 'no audience'}, not for ${sp}. ${SamlAudienceMismatch.fix}`,
        );
    }
    const notBefore = timeAttr(attr(conditions!, 'NotBefore'), 'Conditions NotBefore');
    const notOnOrAfter = timeAttr(attr(conditions!, 'NotOnOrAfter'), 'Conditions NotOnOrAfter');
    checkWindow(ctx, 'assertion', notBefore, notOnOrAfter);
    if (notOnOrAfter !== undefined) ctx.notOnOrAfter = notOnOrAfter;
    return `audience ${sp}${notOnOrAfter !== undefined ? `, valid until ${new Date(notOnOrAfter).toISOString()}` : ''}`;
  },
};
