/**
 * For the SAML tests: IdP metadata for a test IdP, registering a login over HTTP (multipart, as
 * the web UI and the Python API send it), and reading the AuthnRequest the portal sends.
 */
import assert from 'node:assert/strict';
import { createVerify } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import { FormData, type TestPortal } from '../../../test/portal.ts';
import { pemBody } from '../logins/certificates.ts';
import type { TestIdp } from '../validate/test-idp.ts';

export const IDP_SSO = 'https://idp.example.org/idp/profile/SAML2/Redirect/SSO';
export const IDP_SSO_POST = 'https://idp.example.org/idp/profile/SAML2/POST/SSO';

export function idpMetadata(
  idp: TestIdp,
  o: {
    redirect?: string | null;
    post?: string | null;
    encryptionCertPem?: string;
    extraSigning?: string;
  } = {},
): string {
  const kd = (use: string, pem: string) =>
    `<md:KeyDescriptor use="${use}"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${pemBody(pem)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`;
  const redirect = o.redirect === undefined ? IDP_SSO : o.redirect;
  const post = o.post === undefined ? IDP_SSO_POST : o.post;
  return (
    `<?xml version="1.0"?>\n<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="${idp.entityId}">` +
    '<md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">' +
    kd('signing', idp.certPem) +
    (o.extraSigning ? kd('signing', o.extraSigning) : '') +
    (o.encryptionCertPem ? kd('encryption', o.encryptionCertPem) : '') +
    '<md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.org/idp/profile/SAML2/Redirect/SLO"/>' +
    '<md:NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:persistent</md:NameIDFormat>' +
    (redirect
      ? `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${redirect}"/>`
      : '') +
    (post
      ? `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${post}"/>`
      : '') +
    '</md:IDPSSODescriptor></md:EntityDescriptor>'
  );
}

/** POSTs multipart fields (and the metadata file when given) with the admin token; the JSON answer. */
export async function postForm(
  portal: TestPortal,
  path: string,
  token: string,
  fields: Record<string, string>,
  file?: { name: string; content: string | Buffer; filename?: string },
  // biome-ignore lint/suspicious/noExplicitAny: ArcGIS JSON answers, checked by the tests.
): Promise<any> {
  const form = new FormData();
  form.set('f', 'json');
  form.set('token', token);
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  if (file) form.set(file.name, new Blob([file.content]), file.filename ?? 'metadata.xml');
  const res = await portal.fetch(path, { method: 'POST', body: form });
  return res.json();
}

export interface SentAuthnRequest {
  xml: string;
  id: string;
  destination: string;
  relayState: string | null;
  signed: boolean;
}

/** Reads the AuthnRequest of a Redirect-binding URL; checks its query signature with `spCertPem` when signed. */
export function readRedirect(location: string, spCertPem?: string): SentAuthnRequest {
  const u = new URL(location);
  const xml = inflateRawSync(Buffer.from(u.searchParams.get('SAMLRequest')!, 'base64')).toString('utf8');
  const raw = u.search.slice(1);
  const part = (name: string) => raw.split('&').find((p) => p.startsWith(`${name}=`));
  const signature = u.searchParams.get('Signature');
  if (signature) {
    assert.ok(spCertPem, 'a signed request needs the SP certificate to check');
    const signed = ['SAMLRequest', 'RelayState', 'SigAlg'].map(part).filter(Boolean).join('&');
    const alg = u.searchParams.get('SigAlg')!;
    assert.equal(alg, 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256');
    assert.ok(
      createVerify('sha256').update(signed).verify(spCertPem, signature, 'base64'),
      'query signature',
    );
  }
  return {
    xml,
    id: /\bID="([^"]+)"/.exec(xml)![1]!,
    destination: /\bDestination="([^"]+)"/.exec(xml)![1]!,
    relayState: u.searchParams.get('RelayState'),
    signed: Boolean(signature),
  };
}

/** Posts a SAMLResponse to the ACS as the browser does (a cross-site form POST from the IdP). */
export async function postToAcs(
  portal: TestPortal,
  samlResponseB64: string,
  relayState?: string,
  path = '/sharing/rest/oauth2/saml/signin',
) {
  const body = new URLSearchParams({ SAMLResponse: samlResponseB64 });
  if (relayState !== undefined) body.set('RelayState', relayState);
  const res = await portal.fetch(path, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      origin: 'https://idp.example.org',
      'sec-fetch-site': 'cross-site',
    },
    body: body.toString(),
  });
  return {
    status: res.status,
    location: res.headers.get('location'),
    body: await res.text(),
    headers: res.headers,
  };
}
