/**
 * Signed SAML metadata for tests and `npm run bench -- saml`: an aggregate of N entities (three
 * in four identity providers with display names in several languages, logos, scopes, two
 * certificates, entity categories, registration info and domain hints; every fourth a service
 * provider, which must be skipped), written in varied namespace styles (md: prefixes, a
 * default namespace per entity, redundant and unused declarations, escaped and non-ASCII text)
 * so that the canonicalisation is exercised. Signed with a generated key by Meridian's own
 * canonicaliser and node:crypto; xmlsec1 verifies the result (see the tests).
 */
import { createHash, createPrivateKey, sign, X509Certificate } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { generateCertificate } from '../pki/generate-certificate.ts';
import { canonicalize } from './xml/canonicalize.ts';
import { DIGESTS, DSIG_NS, ENVELOPED, SIGNATURES } from './xml/dsig.ts';
import { EXC_C14N, EXC_C14N_WITH_COMMENTS, escapeAttribute as ea } from './xml/exc-c14n.ts';

export const MD = 'urn:oasis:names:tc:SAML:2.0:metadata';
const NS = {
  md: MD,
  ds: DSIG_NS,
  mdui: 'urn:oasis:names:tc:SAML:metadata:ui',
  mdrpi: 'urn:oasis:names:tc:SAML:metadata:rpi',
  mdattr: 'urn:oasis:names:tc:SAML:metadata:attribute',
  saml: 'urn:oasis:names:tc:SAML:2.0:assertion',
  shibmd: 'urn:mace:shibboleth:metadata:1.0',
  xsi: 'http://www.w3.org/2001/XMLSchema-instance',
};
const REDIRECT = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';
const POST = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST';
const SOAP = 'urn:oasis:names:tc:SAML:2.0:bindings:SOAP';
export const RANDS = 'http://refeds.org/category/research-and-scholarship';
export const SIRTFI = 'https://refeds.org/sirtfi';
export const REGISTRAR = 'https://registrar.example-federation.org';

export interface SigningKey {
  keyPem: string;
  certPem: string;
}

/** A key and self-signed certificate for signing metadata (RSA 2048 or ECDSA P-256). */
export async function makeSigningKey(
  kind: 'RSA' | 'EC' = 'RSA',
  cn = 'Example Federation Signer',
): Promise<SigningKey> {
  const g = await generateCertificate({ alias: 'signer', cn, keyAlg: kind, validityDays: 3650 });
  return { keyPem: g.keyPem, certPem: g.certPem };
}

/** Certificates for the entities' KeyDescriptors (base64 DER), a few reused. */
export async function entityCertificates(n = 4): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const g = await generateCertificate({
      alias: `idp${i}`,
      cn: `idp${i}.example.edu`,
      keyAlg: i % 2 ? 'EC' : 'RSA',
      validityDays: 3650,
    });
    out.push(new X509Certificate(g.certPem).raw.toString('base64'));
  }
  return out;
}

export interface AggregateOptions {
  entities: number;
  /** Every n-th entity (1-based) is a service provider. Default 4. */
  spEvery?: number;
  /** ISO date. */
  validUntil: string;
  cacheDuration?: string;
  id?: string;
  name?: string;
  /** Base64 DER certificates for the KeyDescriptors. */
  certificates: readonly string[];
  /** Inserted after the root's start tag (comments, whitespace, an Extensions element). */
  head?: string;
  /** Entity numbers start here (to make a second, different generation). Default 1. */
  first?: number;
}

const wrap64 = (b64: string) => b64.replace(/.{1,64}/g, '\n$&').concat('\n');

/** The entity ID of entity n. */
export const entityIdOf = (n: number) =>
  n % 2
    ? `https://idp.uni${n}.example.edu/idp/shibboleth`
    : `https://login.college${n}.example.org/saml2/idp`;
export const isSpNumber = (n: number, spEvery = 4) => n % spEvery === 0;

/** One identity provider, in one of three namespace styles. */
export function idpXml(n: number, certs: readonly string[]): string {
  const style = n % 3;
  const domain = `uni${n}.example.edu`;
  const c1 = wrap64(certs[n % certs.length]!);
  const c2 = wrap64(certs[(n + 1) % certs.length]!);
  const m = style === 1 ? '' : 'md:';
  const open =
    style === 1
      ? `<EntityDescriptor xmlns="${NS.md}" xmlns:ds="${NS.ds}" xmlns:mdui="${NS.mdui}" xmlns:unused="urn:example:unused" entityID="${entityIdOf(n)}">`
      : style === 2
        ? `<md:EntityDescriptor entityID="${entityIdOf(n)}" xmlns:md="${NS.md}" ID="_e${n}">`
        : `<md:EntityDescriptor xmlns:md="${NS.md}" entityID="${entityIdOf(n)}">`;
  const ds = style === 2 ? `ds2` : 'ds';
  const dsDecl = style === 2 ? ` xmlns:ds2="${NS.ds}"` : '';
  const keyInfo = (use: string, cert: string) =>
    `\n    <${m}KeyDescriptor use="${use}">\n      <${ds}:KeyInfo${dsDecl}>\n        <${ds}:KeyName>${domain}</${ds}:KeyName>\n        <${ds}:X509Data>\n          <${ds}:X509Certificate>${cert}</${ds}:X509Certificate>\n        </${ds}:X509Data>\n      </${ds}:KeyInfo>\n    </${m}KeyDescriptor>`;
  return `
  ${open}
    <${m}Extensions>
      <mdrpi:RegistrationInfo xmlns:mdrpi="${NS.mdrpi}" registrationAuthority="${REGISTRAR}" registrationInstant="2014-0${1 + (n % 9)}-12T09:30:00Z">
        <mdrpi:RegistrationPolicy xml:lang="en">https://example-federation.org/policy/v${n % 3}</mdrpi:RegistrationPolicy>
      </mdrpi:RegistrationInfo>
      <mdattr:EntityAttributes xmlns:mdattr="${NS.mdattr}">
        <saml:Attribute xmlns:saml="${NS.saml}" Name="http://macedir.org/entity-category-support" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri">
          <saml:AttributeValue>${RANDS}</saml:AttributeValue>
        </saml:Attribute>
        <saml:Attribute xmlns:saml="${NS.saml}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri" Name="urn:oasis:names:tc:SAML:attribute:assurance-certification">
          <saml:AttributeValue>${SIRTFI}</saml:AttributeValue>
        </saml:Attribute>
      </mdattr:EntityAttributes>
    </${m}Extensions>
    <${m}IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol urn:mace:shibboleth:1.0"${style === 1 ? '' : ` xmlns:mdui="${NS.mdui}"`} errorURL="https://${domain}/error?code=ERRORURL_CODE&amp;ts=ERRORURL_TS">
      <${m}Extensions>
        <shibmd:Scope xmlns:shibmd="${NS.shibmd}" regexp="false">${domain}</shibmd:Scope>
        <shibmd:Scope xmlns:shibmd="${NS.shibmd}" regexp="true">^.+\\.${domain.replace(/\./g, '\\.')}$</shibmd:Scope>
        <mdui:UIInfo>
          <mdui:DisplayName xml:lang="en">University ${n} &amp; Partners</mdui:DisplayName>
          <mdui:DisplayName xml:lang="de">Universität ${n} – Zürich</mdui:DisplayName>
          <mdui:DisplayName xml:lang="fr">Université n° ${n}</mdui:DisplayName>
          <mdui:DisplayName xml:lang="ja">大学 ${n}</mdui:DisplayName>
          <mdui:Description xml:lang="en">Identity provider of University ${n} &lt;staff, students&gt; "all" members.</mdui:Description>
          <mdui:Description xml:lang="de">Identitätsprovider der Universität ${n}.</mdui:Description>
          <mdui:InformationURL xml:lang="en">https://${domain}/about</mdui:InformationURL>
          <mdui:PrivacyStatementURL xml:lang="en">https://${domain}/privacy</mdui:PrivacyStatementURL>
          <mdui:Logo height="16" width="16">https://${domain}/favicon.ico</mdui:Logo>
          <mdui:Logo xml:lang="en" width="200" height="60">https://${domain}/logo-en.png</mdui:Logo>
        </mdui:UIInfo>
        <mdui:DiscoHints>
          <mdui:DomainHint>${domain}</mdui:DomainHint>
          <mdui:DomainHint>mail.${domain}</mdui:DomainHint>
          <mdui:IPHint>10.${n % 256}.0.0/16</mdui:IPHint>
        </mdui:DiscoHints>
      </${m}Extensions>${keyInfo('signing', c1)}${keyInfo('encryption', c2)}
    <${m}ArtifactResolutionService Binding="${SOAP}" Location="https://${domain}:8443/idp/profile/SAML2/SOAP/ArtifactResolution" index="1"/>
    <${m}SingleLogoutService Binding="${REDIRECT}" Location="https://${domain}/idp/profile/SAML2/Redirect/SLO"/>
    <${m}SingleLogoutService Binding="${POST}" Location="https://${domain}/idp/profile/SAML2/POST/SLO" ResponseLocation="https://${domain}/idp/profile/SAML2/POST/SLO/response"/>
    <${m}NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:transient</${m}NameIDFormat>
    <${m}NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:persistent</${m}NameIDFormat>
    <${m}SingleSignOnService Binding="urn:mace:shibboleth:1.0:profiles:AuthnRequest" Location="https://${domain}/idp/profile/Shibboleth/SSO"/>
    <${m}SingleSignOnService Location="https://${domain}/idp/profile/SAML2/POST/SSO" Binding="${POST}"/>
    <${m}SingleSignOnService Binding="${REDIRECT}" Location="https://${domain}/idp/profile/SAML2/Redirect/SSO?x=1&amp;y=&quot;2&quot;"/>
    </${m}IDPSSODescriptor>
    <${m}Organization>
      <${m}OrganizationName xml:lang="en">University ${n}</${m}OrganizationName>
      <${m}OrganizationDisplayName xml:lang="en">University ${n}</${m}OrganizationDisplayName>
      <${m}OrganizationURL xml:lang="en">https://www.${domain}/</${m}OrganizationURL>
    </${m}Organization>
    <${m}ContactPerson contactType="technical">
      <${m}GivenName>IT Service Desk</${m}GivenName>
      <${m}EmailAddress>mailto:it-support@${domain}</${m}EmailAddress>
    </${m}ContactPerson>
    <${m}ContactPerson xmlns:remd="http://refeds.org/metadata" contactType="other" remd:contactType="http://refeds.org/metadata/contactType/security">
      <${m}GivenName>Security Team</${m}GivenName>
      <${m}EmailAddress>mailto:cert@${domain}</${m}EmailAddress>
    </${m}ContactPerson>
  </${m}EntityDescriptor>`;
}

/** A service provider (skipped by the index). */
export function spXml(n: number, certs: readonly string[]): string {
  const domain = `sp${n}.example.com`;
  return `
  <md:EntityDescriptor entityID="https://${domain}/shibboleth">
    <md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
      <md:Extensions>
        <mdui:UIInfo><mdui:DisplayName xml:lang="en">Service ${n}</mdui:DisplayName></mdui:UIInfo>
      </md:Extensions>
      <md:KeyDescriptor><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${wrap64(certs[n % certs.length]!)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
      <md:AssertionConsumerService Binding="${POST}" Location="https://${domain}/Shibboleth.sso/SAML2/POST" index="1"/>
    </md:SPSSODescriptor>
    <md:Organization>
      <md:OrganizationName xml:lang="en">Service ${n}</md:OrganizationName>
      <md:OrganizationDisplayName xml:lang="en">Service ${n}</md:OrganizationDisplayName>
      <md:OrganizationURL xml:lang="en">https://${domain}/</md:OrganizationURL>
    </md:Organization>
  </md:EntityDescriptor>`;
}

/** The unsigned aggregate, piece by piece: the first piece ends with the root's start tag. */
export function* aggregateParts(o: AggregateOptions): Generator<string> {
  const decls = Object.entries(NS)
    .map(([p, u]) => ` xmlns:${p}="${u}"`)
    .join('');
  yield `<?xml version="1.0" encoding="UTF-8"?>\n<md:EntitiesDescriptor${decls} ID="${o.id ?? '_aggregate'}" Name="${
    o.name ?? 'urn:example:federation'
  }" validUntil="${o.validUntil}"${o.cacheDuration ? ` cacheDuration="${o.cacheDuration}"` : ''}>`;
  let chunk = o.head ?? '';
  const first = o.first ?? 1;
  for (let n = first; n < first + o.entities; n++) {
    chunk += isSpNumber(n, o.spEvery) ? spXml(n, o.certificates) : idpXml(n, o.certificates);
    if (chunk.length > 256 * 1024) {
      yield chunk;
      chunk = '';
    }
  }
  yield `${chunk}\n</md:EntitiesDescriptor>\n`;
}

export interface SignOptions {
  /** '' or the root's ID (default). */
  referenceUri?: 'id' | '';
  signatureAlgorithm?:
    | 'rsa-sha256'
    | 'rsa-sha384'
    | 'rsa-sha512'
    | 'ecdsa-sha256'
    | 'ecdsa-sha384'
    | 'ecdsa-sha512';
  digestAlgorithm?: 'sha256' | 'sha384' | 'sha512';
  inclusivePrefixes?: string[];
  /** The exc-c14n WithComments variant for the transform and the SignedInfo. */
  withComments?: boolean;
  /** Put this certificate in KeyInfo instead of the signer's (a verifier must ignore it). */
  keyInfoCertPem?: string;
}

const SIG_URI = (name: string) => Object.keys(SIGNATURES).find((u) => u.endsWith(`#${name}`))!;
const DIGEST_URI = (name: string) => Object.keys(DIGESTS).find((u) => u.endsWith(`#${name}`))!;

/** Where the root element's start tag ends (the signature goes right after it). */
export function rootStartEnd(xml: string): number {
  let i = 0;
  for (;;) {
    i = xml.indexOf('<', i);
    if (i < 0) throw new Error('no root element');
    if (xml.startsWith('<?', i)) i = xml.indexOf('?>', i) + 2;
    else if (xml.startsWith('<!--', i)) i = xml.indexOf('-->', i) + 3;
    else if (xml.startsWith('<!', i)) i = xml.indexOf('>', i) + 1;
    else break;
  }
  let q: string | undefined;
  for (; i < xml.length; i++) {
    const c = xml[i]!;
    if (q) {
      if (c === q) q = undefined;
    } else if (c === '"' || c === "'") q = c;
    else if (c === '>') return xml[i - 1] === '/' ? -1 : i + 1;
  }
  throw new Error('unterminated root start tag');
}

function rootIdOf(startTag: string): string | undefined {
  return /\sID\s*=\s*["']([^"']*)["']/.exec(startTag)?.[1];
}

/** The ds:Signature element for a document whose canonical form (without it) hashes to `digest`. */
function signatureXml(key: SigningKey, digest: Buffer, uri: string, o: SignOptions): string {
  const sigAlg = o.signatureAlgorithm ?? 'rsa-sha256';
  const c14n = o.withComments ? EXC_C14N_WITH_COMMENTS : EXC_C14N;
  const inc = o.inclusivePrefixes?.length
    ? `<ec:InclusiveNamespaces xmlns:ec="${EXC_C14N}" PrefixList="${o.inclusivePrefixes.join(' ')}"/>`
    : '';
  const signedInfo = `<ds:SignedInfo><ds:CanonicalizationMethod Algorithm="${c14n}"/><ds:SignatureMethod Algorithm="${SIG_URI(
    sigAlg,
  )}"/><ds:Reference URI="${ea(uri)}"><ds:Transforms><ds:Transform Algorithm="${ENVELOPED}"/><ds:Transform Algorithm="${c14n}">${inc}</ds:Transform></ds:Transforms><ds:DigestMethod Algorithm="${DIGEST_URI(
    o.digestAlgorithm ?? 'sha256',
  )}"/><ds:DigestValue>${digest.toString('base64')}</ds:DigestValue></ds:Reference></ds:SignedInfo>`;
  const canonical = canonicalize(`<ds:Signature xmlns:ds="${DSIG_NS}">${signedInfo}</ds:Signature>`, {
    withComments: o.withComments,
  }).replace(/^<ds:Signature xmlns:ds="[^"]*">|<\/ds:Signature>$/g, '');
  // The SignedInfo in the document has no declaration of its own: its canonical form renders ds.
  const canonicalSignedInfo = canonical.replace('<ds:SignedInfo>', `<ds:SignedInfo xmlns:ds="${DSIG_NS}">`);
  const hash = SIGNATURES[SIG_URI(sigAlg)]!.hash;
  const pk = createPrivateKey(key.keyPem);
  const value = sign(
    hash,
    Buffer.from(canonicalSignedInfo, 'utf8'),
    pk.asymmetricKeyType === 'ec' ? { key: pk, dsaEncoding: 'ieee-p1363' } : pk,
  );
  const kiCert = new X509Certificate(o.keyInfoCertPem ?? key.certPem).raw.toString('base64');
  return `<ds:Signature xmlns:ds="${DSIG_NS}">${signedInfo}<ds:SignatureValue>${value.toString(
    'base64',
  )}</ds:SignatureValue><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${kiCert}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></ds:Signature>`;
}

/** Signs a document (an enveloped signature over its root, placed as the root's first child). */
export function signMetadata(xml: string, key: SigningKey, o: SignOptions = {}): string {
  const end = rootStartEnd(xml);
  if (end < 0) throw new Error('an empty root element cannot hold a signature');
  const id = rootIdOf(xml.slice(0, end));
  const uri = o.referenceUri === '' || id === undefined ? '' : `#${id}`;
  const h = createHash(o.digestAlgorithm ?? 'sha256');
  canonicalize(xml, { inclusivePrefixes: o.inclusivePrefixes }, (s) => h.update(s, 'utf8'));
  return `${xml.slice(0, end)}${signatureXml(key, h.digest(), uri, o)}${xml.slice(end)}`;
}

/** Writes a signed aggregate to a file without holding it: two passes over the generated pieces. */
export async function writeSignedAggregate(
  path: string,
  o: AggregateOptions,
  key: SigningKey,
  s: SignOptions = {},
): Promise<{ bytes: number; idps: number; entities: number }> {
  const h = createHash(s.digestAlgorithm ?? 'sha256');
  let buf = '';
  canonicalize(aggregateParts(o), { inclusivePrefixes: s.inclusivePrefixes }, (c) => {
    buf += c;
    if (buf.length > 1 << 16) {
      h.update(buf, 'utf8');
      buf = '';
    }
  });
  h.update(buf, 'utf8');
  const uri = s.referenceUri === '' ? '' : `#${o.id ?? '_aggregate'}`;
  const signature = signatureXml(key, h.digest(), uri, s);
  const out = createWriteStream(path);
  let bytes = 0;
  let first = true;
  for (const part of aggregateParts(o)) {
    const text = first ? `${part}${signature}` : part;
    first = false;
    bytes += Buffer.byteLength(text);
    if (!out.write(text)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  const first1 = o.first ?? 1;
  let sps = 0;
  for (let n = first1; n < first1 + o.entities; n++) if (isSpNumber(n, o.spEvery)) sps++;
  return { bytes, idps: o.entities - sps, entities: o.entities };
}

/** The unsigned aggregate as one string (small documents, for tests). */
export function aggregateXml(o: AggregateOptions): string {
  return [...aggregateParts(o)].join('');
}
