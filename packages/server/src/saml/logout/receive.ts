import { inflateRawSync } from 'node:zlib';
import type { Element } from '@xmldom/xmldom';
import { type ErrorSpec, isMeridianError, MeridianError } from '../../kernel/errors/meridian-error.ts';
import { verifyRedirectSignature } from '../validate/redirect-signature.ts';
import { verifyEnveloped } from '../validate/signature.ts';
import type { IdpLookup, TrustedIdp } from '../validate/types.ts';
import { attr, child, children, instant, is, NS, parseXml, text } from '../validate/xml.ts';
import {
  SamlLogoutAlgorithmRefused,
  SamlLogoutDestinationMismatch,
  SamlLogoutDoctypeRefused,
  SamlLogoutExpired,
  SamlLogoutIssuerUnknown,
  SamlLogoutMalformed,
  SamlLogoutMessageMissing,
  SamlLogoutNameIdMissing,
  SamlLogoutSignatureInvalid,
  SamlLogoutTooLarge,
  SamlLogoutUnsigned,
} from './errors.ts';

/** A logout message as it arrived at oauth2/saml/signout. */
export interface IncomingLogout {
  binding: 'redirect' | 'post';
  samlRequest?: string | undefined;
  samlResponse?: string | undefined;
  relayState?: string | undefined;
  /** Redirect binding: the query string exactly as received (its signature covers these octets). */
  rawQuery?: string;
}

/** A logout message whose signature verified with the IdP's metadata keys; everything here was signed. */
export type VerifiedLogout =
  | {
      kind: 'request';
      idp: TrustedIdp;
      id: string;
      issueInstant: number;
      notOnOrAfter: number | undefined;
      nameId: string;
      sessionIndexes: string[];
      relayState: string | undefined;
      /** For the log: the algorithm and certificate that verified it. */
      verified: string;
    }
  | {
      kind: 'response';
      idp: TrustedIdp;
      id: string;
      inResponseTo: string | undefined;
      status: string;
      relayState: string | undefined;
      verified: string;
    };

const refuse = (def: ErrorSpec, why: string) => new MeridianError(def, `${why} ${def.fix}`);

/** The validation's refusals, under the logout's own codes (the message says what it was). */
function asLogoutError(err: unknown): unknown {
  if (!isMeridianError(err)) return err;
  const code = err.code;
  if (code === 'saml.doctype_refused') return new MeridianError(SamlLogoutDoctypeRefused, err.message);
  if (code === 'saml.xml_malformed') return new MeridianError(SamlLogoutMalformed, err.message);
  if (code === 'saml.algorithm_refused') return new MeridianError(SamlLogoutAlgorithmRefused, err.message);
  if (
    code === 'saml.signature_invalid' ||
    code === 'saml.signature_key_untrusted' ||
    code === 'saml.wrapping_detected'
  )
    return new MeridianError(SamlLogoutSignatureInvalid, err.message);
  return err;
}

function decode(m: IncomingLogout, value: string, maxBytes: number): string {
  const raw = Buffer.from(value, 'base64');
  if (raw.length === 0) throw refuse(SamlLogoutMalformed, 'The logout message is empty or not base64.');
  let bytes: Buffer;
  if (m.binding === 'redirect') {
    try {
      bytes = inflateRawSync(raw, { maxOutputLength: maxBytes });
    } catch (err) {
      if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
        throw refuse(SamlLogoutTooLarge, `The logout message inflates to more than ${maxBytes} bytes.`);
      throw refuse(
        SamlLogoutMalformed,
        'The logout message is not DEFLATE-compressed (HTTP-Redirect binding).',
      );
    }
  } else {
    if (raw.length > maxBytes)
      throw refuse(SamlLogoutTooLarge, `The logout message is larger than ${maxBytes} bytes.`);
    bytes = raw;
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw refuse(SamlLogoutMalformed, 'The logout message is not UTF-8.');
  }
}

/**
 * Decodes, parses and verifies a logout message: DOCTYPE refused (parseXml), the IdP chosen by
 * its Issuer among the login's, the signature required and verified with that IdP's metadata
 * keys only (the query signature of the Redirect binding, or the enveloped XML signature of the
 * POST binding, through the same verifier as responses), Destination this endpoint. From the
 * POST binding only the signed element is read.
 */
export async function receiveLogout(
  m: IncomingLogout,
  env: { idps: IdpLookup; signoutUrl: string; maxBytes: number },
): Promise<VerifiedLogout> {
  try {
    return await receive(m, env);
  } catch (err) {
    throw asLogoutError(err);
  }
}

async function receive(
  m: IncomingLogout,
  env: { idps: IdpLookup; signoutUrl: string; maxBytes: number },
): Promise<VerifiedLogout> {
  const param = m.samlRequest ? 'SAMLRequest' : m.samlResponse ? 'SAMLResponse' : undefined;
  if (!param) throw new MeridianError(SamlLogoutMessageMissing);
  const what = param === 'SAMLRequest' ? 'LogoutRequest' : 'LogoutResponse';
  const xml = decode(m, (m.samlRequest ?? m.samlResponse)!, env.maxBytes);
  const root = parseXml(xml, 'logout message');
  if (!is(root, NS.samlp, what))
    throw refuse(SamlLogoutMalformed, `The ${param} is a ${root.localName}, not a samlp:${what}.`);
  const issuerEl = child(root, NS.saml, 'Issuer');
  const issuer = issuerEl ? text(issuerEl) : '';
  if (!issuer) throw refuse(SamlLogoutIssuerUnknown, `The ${what} names no Issuer.`);
  const idp = await env.idps.byEntityId(issuer);
  if (!idp)
    throw refuse(
      SamlLogoutIssuerUnknown,
      `The ${what} comes from ${JSON.stringify(issuer.slice(0, 200))}, which is not an IdP of the SAML login.`,
    );
  let signed: Element;
  let verified: string;
  if (m.binding === 'redirect') {
    if (child(root, NS.ds, 'Signature'))
      throw refuse(
        SamlLogoutMalformed,
        'An HTTP-Redirect message carries its signature in the query, not in the XML.',
      );
    const note = verifyRedirectSignature(m.rawQuery ?? '', param, idp);
    if (!note) throw refuse(SamlLogoutUnsigned, `The ${what} has no query signature.`);
    signed = root;
    verified = note;
  } else {
    const signature = child(root, NS.ds, 'Signature');
    if (!signature) throw refuse(SamlLogoutUnsigned, `The ${what} has no XML signature.`);
    const s = verifyEnveloped(what, xml, root, signature, idp);
    signed = s.element;
    verified = s.note;
  }
  const destination = attr(signed, 'Destination');
  if (destination !== undefined ? destination !== env.signoutUrl : m.binding === 'post')
    throw refuse(
      SamlLogoutDestinationMismatch,
      `The ${what} is addressed to ${destination === undefined ? 'no Destination' : JSON.stringify(destination.slice(0, 200))}, not ${env.signoutUrl}.`,
    );
  const signedIssuer = child(signed, NS.saml, 'Issuer');
  if (!signedIssuer || text(signedIssuer) !== idp.entityId)
    throw refuse(SamlLogoutIssuerUnknown, `The signed ${what} does not name ${idp.entityId} as its Issuer.`);
  const id = attr(signed, 'ID') ?? '';
  if (!id) throw refuse(SamlLogoutMalformed, `The ${what} has no ID.`);
  if (what === 'LogoutResponse') {
    const statusCode = path(signed, 'Status', 'StatusCode');
    return {
      kind: 'response',
      idp,
      id,
      inResponseTo: attr(signed, 'InResponseTo'),
      status: (statusCode && attr(statusCode, 'Value')) ?? '',
      relayState: m.relayState,
      verified,
    };
  }
  const issueInstant = instant(attr(signed, 'IssueInstant'));
  if (Number.isNaN(issueInstant))
    throw refuse(SamlLogoutMalformed, 'The LogoutRequest has no valid IssueInstant.');
  const noa = attr(signed, 'NotOnOrAfter');
  const notOnOrAfter = noa === undefined ? undefined : instant(noa);
  if (Number.isNaN(notOnOrAfter))
    throw refuse(SamlLogoutExpired, 'The LogoutRequest’s NotOnOrAfter is not a dateTime.');
  const nameIdEl = child(signed, NS.saml, 'NameID');
  const nameId = nameIdEl ? text(nameIdEl) : '';
  if (!nameId)
    throw refuse(
      SamlLogoutNameIdMissing,
      child(signed, NS.saml, 'EncryptedID')
        ? 'The LogoutRequest’s NameID is encrypted.'
        : 'The LogoutRequest has no NameID.',
    );
  return {
    kind: 'request',
    idp,
    id,
    issueInstant,
    notOnOrAfter,
    nameId,
    sessionIndexes: children(signed, NS.samlp, 'SessionIndex').map(text).filter(Boolean),
    relayState: m.relayState,
    verified,
  };
}

function path(el: Element, ...names: string[]): Element | undefined {
  let at: Element | undefined = el;
  for (const n of names) at = at && child(at, NS.samlp, n);
  return at;
}
