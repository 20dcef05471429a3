import type { Element } from '@xmldom/xmldom';
import type { SentRequest, TrustedIdp, ValidationEnv, VerifiedAssertion } from './types.ts';

/** The unverified message as parsed: only its shape and Issuer are read from it, never its content. */
export interface Envelope {
  response: Element;
  /** The Assertion child of the Response (absent when encrypted or missing). */
  assertion?: Element;
  encryptedAssertion?: Element;
  responseSignature?: Element;
  assertionSignature?: Element;
}

/** An assertion, the XML text its own signature is verified over, and what the Response signature covers. */
export interface AssertionSource {
  /** The text xml-crypto verifies (the decoded response, or the decrypted assertion). */
  xml: string;
  /** The Assertion element in `xml` (not trusted: its signature is verified over it). */
  target: Element;
  signature?: Element;
  /** The Assertion as covered by the verified Response signature (itself, or through its ciphertext). */
  covered?: Element;
}

/**
 * One validation's state, filled in step by step (steps.ts lists them): each step reads what the
 * ones before it produced and adds its own. After the signature steps, only `signedResponse`
 * and `assertion` (both re-parsed from xml-crypto's signed references) are read.
 */
export interface SamlValidation {
  readonly samlResponse: string;
  readonly env: ValidationEnv;
  /** check_size */
  bytes?: Buffer;
  /** parse_xml */
  xml?: string;
  root?: Element;
  /** check_structure */
  envelope?: Envelope;
  /** choose_idp */
  idp?: TrustedIdp;
  /** verify_response_signature: the Response as signed (absent when not signed). */
  signedResponse?: Element;
  /** decrypt_assertion: where the assertion to verify is. */
  source?: AssertionSource;
  /** verify_assertion_signature: the Assertion as signed (by itself or within the signed Response). */
  assertion?: Element;
  assertionId?: string;
  /** check_conditions / check_subject_confirmation: the earliest NotOnOrAfter, epoch ms. */
  notOnOrAfter?: number;
  /** check_subject_confirmation: from the signed bearer SubjectConfirmationData. */
  inResponseTo?: string;
  /** check_in_response_to */
  request?: SentRequest;
  /** extract_assertion */
  result?: VerifiedAssertion;
}

/** A value an earlier step produces; its absence means the steps run out of order (a bug, not a refusal). */
export function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`SAML validation: ${what} is not there yet (steps out of order)`);
  return value;
}

export const DEFAULT_SKEW_SECONDS = 180;
export const DEFAULT_MAX_RESPONSE_BYTES = 256 * 1024;

export function skewMs(ctx: SamlValidation): number {
  return (ctx.env.skewSeconds ?? DEFAULT_SKEW_SECONDS) * 1000;
}
