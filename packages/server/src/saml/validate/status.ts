import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import type { Step } from '../../kernel/pipeline/pipeline.ts';
import { need, type SamlValidation } from './context.ts';
import { SamlStatusNotSuccess } from './errors.ts';
import { attr, child, NS, path } from './xml.ts';

const SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';

const short = (uri: string | undefined) => (uri ? uri.slice(uri.lastIndexOf(':') + 1).slice(0, 80) : 'none');

/**
 * check_status: the top-level StatusCode must be Success. It is read from the signed Response
 * when the Response is signed; otherwise from the unsigned envelope, where it can only refuse
 * (an IdP's error answer is usually unsigned, and says why the user was not authenticated).
 */
export const checkStatus: Step<SamlValidation> = {
  name: 'check_status',
  run(ctx) {
    const response = ctx.signedResponse ?? need(ctx.envelope, 'the envelope').response;
    const code = path(response, [NS.samlp, 'Status'], [NS.samlp, 'StatusCode']);
    const value = code && attr(code, 'Value');
    if (value === SUCCESS) return ctx.signedResponse ? 'Success (signed)' : 'Success (unsigned envelope)';
    const second = code && child(code, NS.samlp, 'StatusCode');
    const codes = [short(value), second && short(attr(second, 'Value'))].filter(Boolean).join('/');
    throw new MeridianError(
      SamlStatusNotSuccess,
      `The IdP did not authenticate the user: its status is ${codes}. ${SamlStatusNotSuccess.fix}`,
    );
  },
};
