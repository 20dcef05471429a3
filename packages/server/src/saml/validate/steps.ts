import { definePipeline } from '../../kernel/pipeline/pipeline.ts';
import { verifyAssertionSignature } from './assertion-signature.ts';
import { checkConditions } from './conditions.ts';
import type { SamlValidation } from './context.ts';
import { decryptStep } from './decrypt.ts';
import { checkDestination } from './destination.ts';
import { extractAssertion } from './extract.ts';
import { checkInResponseTo } from './in-response-to.ts';
import { chooseIdp } from './issuer.ts';
import { parseResponse } from './parse.ts';
import { checkReplay } from './replay.ts';
import { verifyResponseSignature } from './response-signature.ts';
import { checkIssuer } from './signed-issuer.ts';
import { checkSize } from './size.ts';
import { checkStatus } from './status.ts';
import { checkStructure } from './structure.ts';
import { checkSubjectConfirmation } from './subject-confirmation.ts';

/**
 * The SAML response validation, in order. Up to choose_idp the message is only looked at (size,
 * well-formedness, shape, which keys to use); from verify_assertion_signature on, every step
 * reads only what a signature verified with the IdP's metadata keys covers. The one-time checks
 * (replay, then the request) come last, so that a response refused for another reason does not
 * use up its request.
 */
export const samlResponsePipeline = definePipeline<SamlValidation>('saml.response', [
  checkSize,
  parseResponse,
  checkStructure,
  chooseIdp,
  verifyResponseSignature,
  checkStatus,
  decryptStep,
  verifyAssertionSignature,
  checkIssuer,
  checkDestination,
  checkConditions,
  checkSubjectConfirmation,
  checkReplay,
  checkInResponseTo,
  extractAssertion,
]);
