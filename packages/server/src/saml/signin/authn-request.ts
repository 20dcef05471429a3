import { createSign, randomBytes } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import { SignedXml } from 'xml-crypto';
import { BINDING } from '../logins/idp-metadata.ts';
import { DIGEST, ENVELOPED, EXC_C14N, SIG } from '../validate/algorithms.ts';
import { NS } from '../validate/xml.ts';

export interface AuthnRequestInput {
  /** The IdP's SingleSignOnService for the binding used. */
  destination: string;
  spEntityId: string;
  acsUrl: string;
  now: number;
  /** Sign (Redirect: query signature; POST: enveloped XML signature) with this key. */
  signWith?: { keyPem: string; certPem: string; sha256: boolean } | undefined;
}

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A new request ID: an NCName (starts with a letter or underscore), 160 bits of randomness. */
export const newRequestId = () => `_${randomBytes(20).toString('hex')}`;

export function authnRequestXml(id: string, r: AuthnRequestInput): string {
  const instant = new Date(r.now).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return (
    `<samlp:AuthnRequest xmlns:samlp="${NS.samlp}" xmlns:saml="${NS.saml}" ID="${id}" Version="2.0" IssueInstant="${instant}"` +
    ` Destination="${esc(r.destination)}" AssertionConsumerServiceURL="${esc(r.acsUrl)}" ProtocolBinding="${BINDING.post}">` +
    `<saml:Issuer>${esc(r.spEntityId)}</saml:Issuer>` +
    `<samlp:NameIDPolicy AllowCreate="true"/>` +
    '</samlp:AuthnRequest>'
  );
}

/** HTTP-Redirect binding: the URL the browser is sent to (DEFLATE, base64, and the query signature when signing). */
export function redirectBindingUrl(
  xml: string,
  r: Pick<AuthnRequestInput, 'destination' | 'signWith'>,
  relayState: string | undefined,
  param: 'SAMLRequest' | 'SAMLResponse' = 'SAMLRequest',
): string {
  const encode = encodeURIComponent;
  let query = `${param}=${encode(deflateRawSync(Buffer.from(xml, 'utf8')).toString('base64'))}${relayState === undefined ? '' : `&RelayState=${encode(relayState)}`}`;
  if (r.signWith) {
    const alg = r.signWith.sha256 ? SIG.rsaSha256 : SIG.rsaSha1;
    query += `&SigAlg=${encode(alg)}`;
    const signature = createSign(r.signWith.sha256 ? 'sha256' : 'sha1')
      .update(query)
      .sign(r.signWith.keyPem, 'base64');
    query += `&Signature=${encode(signature)}`;
  }
  const u = new URL(r.destination);
  return `${r.destination}${u.search ? '&' : '?'}${query}`;
}

/** HTTP-POST binding: the SAMLRequest form value (base64 of the XML, signed inside when signing). */
export function postBindingValue(
  xml: string,
  r: Pick<AuthnRequestInput, 'signWith'>,
  root: 'AuthnRequest' | 'LogoutRequest' | 'LogoutResponse' = 'AuthnRequest',
): string {
  let out = xml;
  if (r.signWith) {
    const sx = new SignedXml({
      privateKey: r.signWith.keyPem,
      publicCert: r.signWith.certPem,
      canonicalizationAlgorithm: EXC_C14N,
      signatureAlgorithm: r.signWith.sha256 ? SIG.rsaSha256 : SIG.rsaSha1,
    });
    sx.addReference({
      xpath: `/*[local-name(.)='${root}']`,
      transforms: [ENVELOPED, EXC_C14N],
      digestAlgorithm: r.signWith.sha256 ? DIGEST.sha256 : DIGEST.sha1,
    });
    sx.computeSignature(xml, {
      prefix: 'ds',
      location: { reference: `/*[local-name(.)='${root}']/*[local-name(.)='Issuer']`, action: 'after' },
    });
    out = sx.getSignedXml();
  }
  return Buffer.from(out, 'utf8').toString('base64');
}
