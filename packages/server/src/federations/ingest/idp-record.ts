/**
 * What Meridian keeps of an identity provider from federation metadata: read from one
 * md:EntityDescriptor at a time (a small tree built while streaming, dropped once read).
 * Service providers and other entities are skipped.
 */

import { attr, child, childrenOf, DSIG_NS, type XmlNode } from '../xml/dsig.ts';
import type { XmlStartTag } from '../xml/exc-c14n.ts';

export const MD_NS = 'urn:oasis:names:tc:SAML:2.0:metadata';
export const MDUI_NS = 'urn:oasis:names:tc:SAML:metadata:ui';
export const MDRPI_NS = 'urn:oasis:names:tc:SAML:metadata:rpi';
export const MDATTR_NS = 'urn:oasis:names:tc:SAML:metadata:attribute';
export const SAML_NS = 'urn:oasis:names:tc:SAML:2.0:assertion';
export const SHIBMD_NS = 'urn:mace:shibboleth:metadata:1.0';
const XML_NS = 'http://www.w3.org/XML/1998/namespace';

export const ENTITY_CATEGORY = 'http://macedir.org/entity-category';
export const ENTITY_CATEGORY_SUPPORT = 'http://macedir.org/entity-category-support';

export interface Endpoint {
  binding: string;
  location: string;
  responseLocation?: string;
}

export interface IdpRecord {
  entityId: string;
  /** mdui:DisplayName per language ('' when no xml:lang); else md:OrganizationDisplayName. */
  displayNames: Record<string, string>;
  descriptions: Record<string, string>;
  logos: { url: string; width: number | null; height: number | null; lang: string | null }[];
  singleSignOnServices: Endpoint[];
  singleLogoutServices: Endpoint[];
  /** Base64 DER, whitespace removed; a KeyDescriptor without use counts for both. */
  signingCertificates: string[];
  encryptionCertificates: string[];
  scopes: { value: string; regexp: boolean }[];
  entityCategories: string[];
  entityCategorySupport: string[];
  /** Every attribute of mdattr:EntityAttributes (the categories included). */
  entityAttributes: { name: string; nameFormat: string | null; values: string[] }[];
  registrationAuthority: string | null;
  domainHints: string[];
  protocols: string[];
}

/** Builds the tree of one entity from the parser's events; bounded by one entity. */
export class EntityTreeBuilder {
  #stack: XmlNode[] = [];
  #root: XmlNode | undefined;

  get active(): boolean {
    return this.#stack.length > 0;
  }

  start(tag: XmlStartTag): void {
    const n: XmlNode = { tag, children: [], text: '' };
    if (this.#stack.length) this.#stack[this.#stack.length - 1]!.children.push(n);
    else this.#root = n;
    this.#stack.push(n);
  }

  text(t: string): void {
    this.#stack[this.#stack.length - 1]!.text += t;
  }

  /** Returns the entity's tree when its element ends. */
  end(): XmlNode | undefined {
    this.#stack.pop();
    if (this.#stack.length) return undefined;
    const r = this.#root;
    this.#root = undefined;
    return r;
  }
}

const trim = (s: string) => s.trim();
const lang = (n: XmlNode) => attr(n, 'lang', XML_NS) ?? '';
const int = (v: string | undefined) => (v !== undefined && /^\d+$/.test(v.trim()) ? Number(v) : null);

function endpoints(d: XmlNode, local: string): Endpoint[] {
  return childrenOf(d, MD_NS, local).flatMap((e) => {
    const binding = attr(e, 'Binding');
    const location = attr(e, 'Location');
    if (!binding || !location) return [];
    const responseLocation = attr(e, 'ResponseLocation');
    return [responseLocation ? { binding, location, responseLocation } : { binding, location }];
  });
}

function extensionsOf(n: XmlNode): XmlNode[] {
  return child(n, MD_NS, 'Extensions')?.children ?? [];
}

/** The IdP record of an md:EntityDescriptor, or undefined when it has no IDPSSODescriptor. */
export function idpRecord(entity: XmlNode): IdpRecord | undefined {
  const idp = child(entity, MD_NS, 'IDPSSODescriptor');
  const entityId = attr(entity, 'entityID');
  if (!idp || !entityId) return undefined;
  const rec: IdpRecord = {
    entityId,
    displayNames: {},
    descriptions: {},
    logos: [],
    singleSignOnServices: endpoints(idp, 'SingleSignOnService'),
    singleLogoutServices: endpoints(idp, 'SingleLogoutService'),
    signingCertificates: [],
    encryptionCertificates: [],
    scopes: [],
    entityCategories: [],
    entityCategorySupport: [],
    entityAttributes: [],
    registrationAuthority: null,
    domainHints: [],
    protocols: (attr(idp, 'protocolSupportEnumeration') ?? '').split(/\s+/).filter(Boolean),
  };
  for (const kd of childrenOf(idp, MD_NS, 'KeyDescriptor')) {
    const use = attr(kd, 'use');
    const keyInfo = child(kd, DSIG_NS, 'KeyInfo');
    for (const data of keyInfo ? childrenOf(keyInfo, DSIG_NS, 'X509Data') : [])
      for (const c of childrenOf(data, DSIG_NS, 'X509Certificate')) {
        const b64 = c.text.replace(/\s+/g, '');
        if (!b64) continue;
        if (use !== 'encryption' && !rec.signingCertificates.includes(b64)) rec.signingCertificates.push(b64);
        if (use !== 'signing' && !rec.encryptionCertificates.includes(b64))
          rec.encryptionCertificates.push(b64);
      }
  }
  for (const ext of [...extensionsOf(entity), ...extensionsOf(idp)]) {
    const { uri, local } = ext.tag;
    if (uri === SHIBMD_NS && local === 'Scope') {
      const value = trim(ext.text);
      if (value) rec.scopes.push({ value, regexp: /^(true|1)$/.test(attr(ext, 'regexp') ?? '') });
    } else if (uri === MDRPI_NS && local === 'RegistrationInfo') {
      rec.registrationAuthority = attr(ext, 'registrationAuthority') ?? null;
    } else if (uri === MDATTR_NS && local === 'EntityAttributes') {
      for (const a of childrenOf(ext, SAML_NS, 'Attribute')) {
        const name = attr(a, 'Name');
        if (!name) continue;
        const values = childrenOf(a, SAML_NS, 'AttributeValue').map((v) => trim(v.text));
        rec.entityAttributes.push({ name, nameFormat: attr(a, 'NameFormat') ?? null, values });
        if (name === ENTITY_CATEGORY) rec.entityCategories.push(...values);
        if (name === ENTITY_CATEGORY_SUPPORT) rec.entityCategorySupport.push(...values);
      }
    } else if (uri === MDUI_NS && local === 'UIInfo') {
      for (const u of ext.children) {
        if (u.tag.uri !== MDUI_NS) continue;
        if (u.tag.local === 'DisplayName') rec.displayNames[lang(u)] = trim(u.text);
        else if (u.tag.local === 'Description') rec.descriptions[lang(u)] = trim(u.text);
        else if (u.tag.local === 'Logo') {
          const url = trim(u.text);
          if (url)
            rec.logos.push({
              url,
              width: int(attr(u, 'width')),
              height: int(attr(u, 'height')),
              lang: attr(u, 'lang', XML_NS) ?? null,
            });
        }
      }
    } else if (uri === MDUI_NS && local === 'DiscoHints') {
      for (const h of childrenOf(ext, MDUI_NS, 'DomainHint')) {
        const v = trim(h.text);
        if (v) rec.domainHints.push(v);
      }
    }
  }
  if (Object.keys(rec.displayNames).length === 0) {
    const org = child(entity, MD_NS, 'Organization');
    for (const n of org ? childrenOf(org, MD_NS, 'OrganizationDisplayName') : [])
      rec.displayNames[lang(n)] = trim(n.text);
  }
  return rec;
}

/** The name to sort and show by: English, else no language, else the first. */
export function preferredName(rec: IdpRecord): string {
  return rec.displayNames.en ?? rec.displayNames[''] ?? Object.values(rec.displayNames)[0] ?? rec.entityId;
}
