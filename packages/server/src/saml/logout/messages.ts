import { randomBytes } from 'node:crypto';
import { NS } from '../validate/xml.ts';

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** A new message ID: an NCName, 160 bits of randomness. */
export const newMessageId = () => `_${randomBytes(20).toString('hex')}`;

export const STATUS_SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';

/** The SP's LogoutRequest for a sign-in (its NameID and SessionIndex, as the IdP asserted them). */
export function logoutRequestXml(r: {
  id: string;
  destination: string;
  spEntityId: string;
  now: number;
  nameId: string;
  nameIdFormat: string | null;
  sessionIndex: string | null;
}): string {
  return (
    `<samlp:LogoutRequest xmlns:samlp="${NS.samlp}" xmlns:saml="${NS.saml}" ID="${r.id}" Version="2.0" IssueInstant="${iso(r.now)}"` +
    ` Destination="${esc(r.destination)}" NotOnOrAfter="${iso(r.now + 10 * 60_000)}">` +
    `<saml:Issuer>${esc(r.spEntityId)}</saml:Issuer>` +
    `<saml:NameID${r.nameIdFormat ? ` Format="${esc(r.nameIdFormat)}"` : ''}>${esc(r.nameId)}</saml:NameID>` +
    (r.sessionIndex ? `<samlp:SessionIndex>${esc(r.sessionIndex)}</samlp:SessionIndex>` : '') +
    '</samlp:LogoutRequest>'
  );
}

/** The SP's LogoutResponse to an IdP's LogoutRequest. */
export function logoutResponseXml(r: {
  id: string;
  destination: string;
  spEntityId: string;
  now: number;
  inResponseTo: string;
  status?: string;
}): string {
  return (
    `<samlp:LogoutResponse xmlns:samlp="${NS.samlp}" xmlns:saml="${NS.saml}" ID="${r.id}" Version="2.0" IssueInstant="${iso(r.now)}"` +
    ` Destination="${esc(r.destination)}" InResponseTo="${esc(r.inResponseTo)}">` +
    `<saml:Issuer>${esc(r.spEntityId)}</saml:Issuer>` +
    `<samlp:Status><samlp:StatusCode Value="${esc(r.status ?? STATUS_SUCCESS)}"/></samlp:Status>` +
    '</samlp:LogoutResponse>'
  );
}
