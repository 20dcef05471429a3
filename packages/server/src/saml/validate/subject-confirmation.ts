import type { Element } from '@xmldom/xmldom';
import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import type { Step } from '../../kernel/pipeline/pipeline.ts';
import { need, type SamlValidation } from './context.ts';
import { SamlExpired, SamlRecipientMismatch, SamlSubjectConfirmationInvalid } from './errors.ts';
import { checkWindow, timeAttr } from './time.ts';
import { attr, child, children, NS } from './xml.ts';

const BEARER = 'urn:oasis:names:tc:SAML:2.0:cm:bearer';

/** Checks one bearer confirmation; returns its NotOnOrAfter and InResponseTo. */
function checkBearer(
  ctx: SamlValidation,
  data: Element | undefined,
): { notOnOrAfter: number; inResponseTo?: string } {
  if (!data)
    throw new MeridianError(
      SamlSubjectConfirmationInvalid,
      `The bearer SubjectConfirmation has no SubjectConfirmationData. ${SamlSubjectConfirmationInvalid.fix}`,
    );
  const recipient = attr(data, 'Recipient');
  if (recipient === undefined || !ctx.env.sp.acsUrls.includes(recipient))
    throw new MeridianError(
      SamlRecipientMismatch,
      recipient === undefined
        ? `The bearer confirmation names no Recipient. ${SamlRecipientMismatch.fix}`
        : `The bearer confirmation is for ${JSON.stringify(recipient.slice(0, 300))}, not for this portal's assertion consumer service (${ctx.env.sp.acsUrls.join(', ')}). ${SamlRecipientMismatch.fix}`,
    );
  const notOnOrAfter = timeAttr(attr(data, 'NotOnOrAfter'), 'SubjectConfirmationData NotOnOrAfter');
  if (notOnOrAfter === undefined)
    throw new MeridianError(
      SamlExpired,
      `The bearer confirmation has no NotOnOrAfter: a bearer assertion must expire. ${SamlExpired.fix}`,
    );
  checkWindow(
    ctx,
    'bearer confirmation',
    timeAttr(attr(data, 'NotBefore'), 'SubjectConfirmationData NotBefore'),
    notOnOrAfter,
  );
  return { notOnOrAfter, inResponseTo: attr(data, 'InResponseTo') };
}

/**
 * check_subject_confirmation: a bearer SubjectConfirmation whose data names one of the portal's
 * ACS URLs as Recipient and has not expired. The first that passes is used; when none does, the
 * first one's failure is the refusal. Its InResponseTo (signed) is the request this answers.
 */
export const checkSubjectConfirmation: Step<SamlValidation> = {
  name: 'check_subject_confirmation',
  run(ctx) {
    const assertion = need(ctx.assertion, 'the signed assertion');
    const subject = child(assertion, NS.saml, 'Subject');
    const bearers = subject
      ? children(subject, NS.saml, 'SubjectConfirmation').filter((c) => attr(c, 'Method') === BEARER)
      : [];
    if (!bearers.length)
      throw new MeridianError(
        SamlSubjectConfirmationInvalid,
        `The assertion has no bearer SubjectConfirmation. ${SamlSubjectConfirmationInvalid.fix}`,
      );
    let first: unknown;
    for (const b of bearers) {
      try {
        const ok = checkBearer(ctx, child(b, NS.saml, 'SubjectConfirmationData'));
        ctx.notOnOrAfter = Math.min(ctx.notOnOrAfter ?? ok.notOnOrAfter, ok.notOnOrAfter);
        ctx.inResponseTo = ok.inResponseTo;
        return `bearer, recipient ok, until ${new Date(ok.notOnOrAfter).toISOString()}`;
      } catch (err) {
        first ??= err;
      }
    }
    throw first;
  },
};
