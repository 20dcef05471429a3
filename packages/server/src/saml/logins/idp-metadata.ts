import type { Element } from '@xmldom/xmldom';
import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import { SamlMetadataInvalid } from '../errors.ts';
import { attr, children, elementChildren, is, NS, parseXml, text } from '../validate/xml.ts';
import { readCertificates } from './certificates.ts';

/** Largest IdP metadata accepted (one entity; a federation's aggregate goes to the federations module). */
export const MAX_IDP_METADATA_BYTES = 1024 * 1024;

export const MD = 'urn:oasis:names:tc:SAML:2.0:metadata';
export const BINDING = {
  redirect: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect',
  post: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST',
} as const;
const PROTOCOL = 'urn:oasis:names:tc:SAML:2.0:protocol';

export interface Endpoint {
  binding: string;
  location: string;
  responseLocation?: string;
}

/** What the portal keeps of one identity provider: from its metadata, or entered by hand. */
export interface IdpDescription {
  /** Null only when entered by hand without idpEntityId (any issuer, verified by the certificate). */
  entityId: string | null;
  singleSignOnServices: Endpoint[];
  singleLogoutServices: Endpoint[];
  /** PEM. */
  signingCertificates: string[];
  encryptionCertificates: string[];
  wantAuthnRequestsSigned: boolean;
}

const bad = (message: string) =>
  new MeridianError(SamlMetadataInvalid, `${message} ${SamlMetadataInvalid.fix}`);

function httpsUrl(value: string | undefined, what: string): string {
  if (!value) throw bad(`The ${what} has no Location.`);
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw bad(`The ${what} Location "${value.slice(0, 200)}" is not a URL.`);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:')
    throw bad(`The ${what} Location "${value.slice(0, 200)}" is not an http(s) URL.`);
  return u.toString();
}

function endpoints(idp: Element, name: string, what: string): Endpoint[] {
  return children(idp, MD, name).map((e) => {
    const binding = attr(e, 'Binding');
    if (!binding) throw bad(`A ${what} has no Binding.`);
    const responseLocation = attr(e, 'ResponseLocation');
    return {
      binding,
      location: httpsUrl(attr(e, 'Location'), `${what} (${binding.split(':').pop()})`),
      ...(responseLocation
        ? { responseLocation: httpsUrl(responseLocation, `${what} ResponseLocation`) }
        : {}),
    };
  });
}

function keys(idp: Element, entityId: string): { signing: string[]; encryption: string[] } {
  const signing: string[] = [];
  const encryption: string[] = [];
  for (const kd of children(idp, MD, 'KeyDescriptor')) {
    const use = attr(kd, 'use');
    if (use !== undefined && use !== 'signing' && use !== 'encryption')
      throw bad(
        `A KeyDescriptor of ${entityId} has use="${use.slice(0, 40)}" (signing or encryption expected).`,
      );
    const certs: string[] = [];
    for (const ki of children(kd, NS.ds, 'KeyInfo'))
      for (const data of children(ki, NS.ds, 'X509Data'))
        for (const c of children(data, NS.ds, 'X509Certificate'))
          certs.push(
            ...readCertificates(text(c), `${use ?? 'signing and encryption'} certificate of ${entityId}`),
          );
    if (use !== 'encryption') signing.push(...certs);
    if (use !== 'signing') encryption.push(...certs);
  }
  return { signing: [...new Set(signing)], encryption: [...new Set(encryption)] };
}

/** The one IdP entity of a document: an EntityDescriptor, or an EntitiesDescriptor holding exactly one IdP. */
function idpEntity(root: Element): Element {
  if (is(root, MD, 'EntityDescriptor')) return root;
  if (!is(root, MD, 'EntitiesDescriptor'))
    throw bad(`The document is a <${root.localName}>, not SAML 2.0 metadata (md:EntityDescriptor).`);
  const idps: Element[] = [];
  const walk = (el: Element) => {
    for (const c of elementChildren(el)) {
      if (is(c, MD, 'EntitiesDescriptor')) walk(c);
      else if (is(c, MD, 'EntityDescriptor') && children(c, MD, 'IDPSSODescriptor').length) idps.push(c);
    }
  };
  walk(root);
  if (idps.length === 1) return idps[0]!;
  if (!idps.length) throw bad('The metadata describes no identity provider (no IDPSSODescriptor).');
  throw bad(
    `The metadata describes ${idps.length} identity providers: register it as a federation (portals/self/idp/federation/register), or give the metadata of one IdP.`,
  );
}

/**
 * Reads an IdP's SAML 2.0 metadata: size-limited, DOCTYPE and entities refused, only the
 * IDPSSODescriptor that supports SAML 2.0 read. Every failure names what is wrong.
 */
export function parseIdpMetadata(input: Buffer | string): IdpDescription {
  const bytes = typeof input === 'string' ? Buffer.byteLength(input) : input.length;
  if (bytes > MAX_IDP_METADATA_BYTES)
    throw bad(
      `The metadata is ${bytes} bytes; an IdP's metadata is at most ${MAX_IDP_METADATA_BYTES} bytes here (a federation aggregate is registered as a federation).`,
    );
  let xml: string;
  try {
    xml = typeof input === 'string' ? input : new TextDecoder('utf-8', { fatal: true }).decode(input);
  } catch {
    throw bad('The metadata is not UTF-8 text.');
  }
  if (!xml.trim()) throw bad('The metadata is empty.');
  let root: Element;
  try {
    root = parseXml(xml.replace(/^\uFEFF/, ''), 'IdP metadata');
  } catch (err) {
    if (err instanceof MeridianError) throw bad(err.message.replace(/ Ask the IdP.*$| Real IdPs.*$/s, ''));
    throw err;
  }
  const entity = idpEntity(root);
  const entityId = attr(entity, 'entityID');
  if (!entityId) throw bad('The EntityDescriptor has no entityID.');
  const idp = children(entity, MD, 'IDPSSODescriptor').find((d) =>
    (attr(d, 'protocolSupportEnumeration') ?? '').split(/\s+/).includes(PROTOCOL),
  );
  if (!idp)
    throw bad(`${entityId} has no IDPSSODescriptor supporting SAML 2.0 (protocolSupportEnumeration).`);
  const sso = endpoints(idp, 'SingleSignOnService', 'SingleSignOnService');
  const usable = sso.filter((e) => e.binding === BINDING.redirect || e.binding === BINDING.post);
  if (!usable.length)
    throw bad(`${entityId} has no SingleSignOnService with the HTTP-Redirect or HTTP-POST binding.`);
  const { signing, encryption } = keys(idp, entityId);
  if (!signing.length)
    throw bad(`${entityId} publishes no signing certificate (KeyDescriptor use="signing").`);
  return {
    entityId,
    singleSignOnServices: usable,
    singleLogoutServices: endpoints(idp, 'SingleLogoutService', 'SingleLogoutService'),
    signingCertificates: signing,
    encryptionCertificates: encryption,
    wantAuthnRequestsSigned: attr(idp, 'WantAuthnRequestsSigned') === 'true',
  };
}
