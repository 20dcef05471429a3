import { DOMParser, type Element, type Node } from '@xmldom/xmldom';
import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import { SamlDoctypeRefused, SamlXmlMalformed } from './errors.ts';

/** The namespaces a SAML 2.0 response uses. */
export const NS = {
  samlp: 'urn:oasis:names:tc:SAML:2.0:protocol',
  saml: 'urn:oasis:names:tc:SAML:2.0:assertion',
  ds: 'http://www.w3.org/2000/09/xmldsig#',
  xenc: 'http://www.w3.org/2001/04/xmlenc#',
  xenc11: 'http://www.w3.org/2009/xmlenc11#',
} as const;

const ELEMENT_NODE = 1;

/**
 * Parses XML that came from outside: a DOCTYPE is refused before the parser sees it (no DTD,
 * hence no entity, is ever processed), and any parser warning or error is a refusal.
 */
export function parseXml(text: string, what: string): Element {
  if (/<!DOCTYPE/i.test(text))
    throw new MeridianError(SamlDoctypeRefused, `The ${what} contains a DOCTYPE. ${SamlDoctypeRefused.fix}`);
  if (/<!ENTITY/i.test(text))
    throw new MeridianError(SamlDoctypeRefused, `The ${what} declares an entity. ${SamlDoctypeRefused.fix}`);
  let reason = '';
  const parser = new DOMParser({
    locator: false,
    onError: (level, msg) => {
      reason = `${level}: ${msg}`;
      throw new Error(msg);
    },
  });
  let root: Element | null = null;
  try {
    root = parser.parseFromString(text, 'application/xml').documentElement;
  } catch (err) {
    throw new MeridianError(SamlXmlMalformed, `The ${what} is not well-formed XML. ${SamlXmlMalformed.fix}`, {
      detail: shortReason(reason || (err as Error).message),
    });
  }
  if (!root)
    throw new MeridianError(SamlXmlMalformed, `The ${what} has no root element. ${SamlXmlMalformed.fix}`);
  return root;
}

function shortReason(text: string): string {
  return text.replace(/\s+/g, ' ').slice(0, 200);
}

export function isElement(node: Node | null | undefined): node is Element {
  return node?.nodeType === ELEMENT_NODE;
}

export function is(el: Element, ns: string, localName: string): boolean {
  return el.namespaceURI === ns && el.localName === localName;
}

/** The element children of `el`. */
export function elementChildren(el: Element): Element[] {
  const out: Element[] = [];
  for (let n = el.firstChild; n; n = n.nextSibling) if (isElement(n)) out.push(n);
  return out;
}

/** The children of `el` with this name. */
export function children(el: Element, ns: string, localName: string): Element[] {
  return elementChildren(el).filter((c) => is(c, ns, localName));
}

/** The one child with this name, undefined when there is none; throws when there are several. */
export function child(el: Element, ns: string, localName: string): Element | undefined {
  const found = children(el, ns, localName);
  if (found.length > 1)
    throw new MeridianError(
      SamlXmlMalformed,
      `The ${el.localName} element has ${found.length} ${localName} elements where SAML allows one. ${SamlXmlMalformed.fix}`,
    );
  return found[0];
}

/** The first descendant-or-self path: child(child(el, a), b)… */
export function path(el: Element | undefined, ...steps: [string, string][]): Element | undefined {
  let at = el;
  for (const [ns, name] of steps) at = at && child(at, ns, name);
  return at;
}

/** An attribute's value, undefined when absent (getAttribute answers '' or null depending on the DOM). */
export function attr(el: Element, name: string): string | undefined {
  return el.hasAttribute(name) ? el.getAttribute(name)! : undefined;
}

/** The whole text of an element (every text node, as signed: comments are never part of it). */
export function text(el: Element): string {
  return (el.textContent ?? '').trim();
}

/** A SAML dateTime (xs:dateTime in UTC) as epoch ms; NaN when it is not one. */
export function instant(value: string | undefined): number {
  if (value === undefined) return Number.NaN;
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(value)) return Number.NaN;
  return Date.parse(value);
}
