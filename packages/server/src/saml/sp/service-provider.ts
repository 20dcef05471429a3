import { randomBytes } from 'node:crypto';
import { SignedXml } from 'xml-crypto';
import { pemBody } from '../logins/certificates.ts';
import { BINDING } from '../logins/idp-metadata.ts';
import type { SamlLogin } from '../logins/login.ts';
import { DIGEST, ENVELOPED, EXC_C14N, SIG } from '../validate/algorithms.ts';
import type { ServiceProvider } from '../validate/types.ts';
import type { SpKey } from './keys.ts';

export const SAML_PATHS = {
  acs: '/sharing/rest/oauth2/saml/signin',
  acs2: '/sharing/rest/oauth2/saml/signin2',
  authorize: '/sharing/rest/oauth2/saml/authorize',
  signout: '/sharing/rest/oauth2/saml/signout',
} as const;

export const NAMEID_FORMATS = [
  'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
  'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
  'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
  'urn:oasis:names:tc:SAML:2.0:nameid-format:transient',
];

const IDPDISC = 'urn:oasis:names:tc:SAML:profiles:SSO:idp-discovery-protocol';
const MD = 'urn:oasis:names:tc:SAML:2.0:metadata';
const DS = 'http://www.w3.org/2000/09/xmldsig#';

/**
 * The SP entity ID as ArcGIS makes it: the portal's host name followed by its context path,
 * dot-separated (portal.example.org, or host.example.org.portal under /portal); the login's
 * entityId replaces it.
 */
export function defaultSpEntityId(baseUrl: string): string {
  const u = new URL(baseUrl);
  return [u.hostname, ...u.pathname.split('/').filter(Boolean)].join('.');
}

/** This portal as a SAML service provider: its entity ID and endpoints, on this node's public URL. */
export interface SpDescription {
  entityId: string;
  acsUrls: [string, string];
  authorizeUrl: string;
  signoutUrl: string;
}

export function describeSp(baseUrl: string, login: SamlLogin | undefined): SpDescription {
  const base = baseUrl.replace(/\/$/, '');
  return {
    entityId: login?.spEntityId || defaultSpEntityId(base),
    acsUrls: [`${base}${SAML_PATHS.acs}`, `${base}${SAML_PATHS.acs2}`],
    authorizeUrl: `${base}${SAML_PATHS.authorize}`,
    signoutUrl: `${base}${SAML_PATHS.signout}`,
  };
}

export function validationSp(sp: SpDescription): ServiceProvider {
  return { entityId: sp.entityId, acsUrls: sp.acsUrls };
}

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function keyDescriptor(use: 'signing' | 'encryption', k: SpKey): string {
  const methods =
    use === 'encryption'
      ? [
          'http://www.w3.org/2009/xmlenc11#aes256-gcm',
          'http://www.w3.org/2009/xmlenc11#aes128-gcm',
          'http://www.w3.org/2001/04/xmlenc#aes256-cbc',
          'http://www.w3.org/2009/xmlenc11#rsa-oaep',
          'http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p',
        ]
          .map((a) => `<md:EncryptionMethod Algorithm="${a}"/>`)
          .join('')
      : '';
  return `<md:KeyDescriptor use="${use}"><ds:KeyInfo><ds:KeyName>${esc(k.alias)}</ds:KeyName><ds:X509Data><ds:X509Certificate>${pemBody(
    k.certPem,
  )}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>${methods}</md:KeyDescriptor>`;
}

/**
 * The SP metadata: entity ID, the keys (both during a rollover) for signing and encryption,
 * the logout endpoints (Redirect and POST), NameID formats, the assertion consumer services
 * (HTTP-POST: signin, and signin2 which some ArcGIS set-ups register) and the discovery
 * response endpoint. Signed with the active key when asked.
 */
export function spMetadata(
  sp: SpDescription,
  keys: SpKey[],
  opts: { signRequests: boolean; sign: boolean; validUntil?: number },
): string {
  const id = `_${randomBytes(16).toString('hex')}`;
  const validUntil = opts.validUntil ? ` validUntil="${new Date(opts.validUntil).toISOString()}"` : '';
  const xml =
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<md:EntityDescriptor xmlns:md="${MD}" xmlns:ds="${DS}" entityID="${esc(sp.entityId)}" ID="${id}"${validUntil}>` +
    `<md:SPSSODescriptor AuthnRequestsSigned="${opts.signRequests}" WantAssertionsSigned="true" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">` +
    `<md:Extensions><idpdisc:DiscoveryResponse xmlns:idpdisc="${IDPDISC}" Binding="${IDPDISC}" Location="${esc(sp.authorizeUrl)}" index="0" isDefault="true"/></md:Extensions>` +
    keys.map((k) => keyDescriptor('signing', k)).join('') +
    keys.map((k) => keyDescriptor('encryption', k)).join('') +
    `<md:SingleLogoutService Binding="${BINDING.redirect}" Location="${esc(sp.signoutUrl)}"/>` +
    `<md:SingleLogoutService Binding="${BINDING.post}" Location="${esc(sp.signoutUrl)}"/>` +
    NAMEID_FORMATS.map((f) => `<md:NameIDFormat>${f}</md:NameIDFormat>`).join('') +
    `<md:AssertionConsumerService Binding="${BINDING.post}" Location="${esc(sp.acsUrls[0])}" index="0" isDefault="true"/>` +
    `<md:AssertionConsumerService Binding="${BINDING.post}" Location="${esc(sp.acsUrls[1])}" index="1"/>` +
    '</md:SPSSODescriptor></md:EntityDescriptor>\n';
  if (!opts.sign) return xml;
  const signer = keys[0]!;
  const sx = new SignedXml({
    privateKey: signer.keyPem,
    publicCert: signer.certPem,
    canonicalizationAlgorithm: EXC_C14N,
    signatureAlgorithm: SIG.rsaSha256,
  });
  sx.addReference({
    xpath: `/*[local-name(.)='EntityDescriptor']`,
    transforms: [ENVELOPED, EXC_C14N],
    digestAlgorithm: DIGEST.sha256,
  });
  sx.computeSignature(xml, {
    prefix: 'ds',
    location: {
      reference: `/*[local-name(.)='EntityDescriptor']/*[local-name(.)='SPSSODescriptor']`,
      action: 'before',
    },
  });
  return sx.getSignedXml();
}
