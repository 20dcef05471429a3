/**
 * A test IdP: builds real SAML 2.0 Responses, signed with xml-crypto (keys generated at test
 * time), optionally encrypted for the SP (RSA-OAEP or RSA 1.5 key transport, AES-GCM or
 * AES-CBC content). Used by the validation tests and the benchmark; never by the server.
 */
import {
  constants,
  createCipheriv,
  createHash,
  createPublicKey,
  createSign,
  type KeyObject,
  publicEncrypt,
  randomBytes,
} from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import { SignedXml } from 'xml-crypto';
import { generateCertificate } from '../../pki/generate-certificate.ts';
import {
  allowedDigestAlgorithms,
  allowedSignatureAlgorithms,
  DIGEST,
  ENVELOPED,
  EXC_C14N,
  SIG,
} from './algorithms.ts';
import type { SentRequest, TrustedIdp, ValidationEnv } from './types.ts';
import { NS } from './xml.ts';
import { XENC } from './xmlenc.ts';

export interface KeyPair {
  keyPem: string;
  certPem: string;
}

export interface TestIdp extends KeyPair {
  entityId: string;
}

/** A key and self-signed certificate (RSA 2048 unless EC is asked for). */
export async function keyPair(cn: string, keyAlg: 'RSA' | 'EC' = 'RSA'): Promise<KeyPair> {
  const g = await generateCertificate({ alias: 'test', cn, keyAlg, validityDays: 30 });
  return { keyPem: g.keyPem, certPem: g.certPem };
}

export async function createTestIdp(entityId: string, keyAlg: 'RSA' | 'EC' = 'RSA'): Promise<TestIdp> {
  return { entityId, ...(await keyPair(new URL(entityId).hostname, keyAlg)) };
}

export const SP = {
  entityId: 'https://portal.example.org/sharing/rest/portals/self/sp',
  acsUrl: 'https://portal.example.org/sharing/rest/oauth2/saml/signin',
};

export type Encryption = {
  /** The SP's certificate. */
  certPem: string;
  content: 'aes128-gcm' | 'aes256-gcm' | 'aes128-cbc' | 'aes256-cbc' | 'tripledes-cbc';
  transport: 'mgf1p-sha1' | 'mgf1p-sha256' | 'oaep11-sha256' | 'rsa-1_5';
  /** The EncryptedKey beside EncryptedData (as Shibboleth may put it) rather than in its KeyInfo. */
  keyOutside?: boolean;
};

export interface ResponseOptions {
  idp: TestIdp;
  /** Epoch ms the IdP believes it is. */
  now: number;
  sign?: 'assertion' | 'response' | 'both' | 'none';
  /** Sign with this key instead of the IdP's (an attacker's, another IdP's). */
  signWith?: KeyPair;
  /** Put the signing certificate in KeyInfo (default true). */
  keyInfo?: boolean;
  signatureAlgorithm?: string;
  digestAlgorithm?: string;
  responseIssuer?: string | null;
  assertionIssuer?: string;
  destination?: string | null;
  recipient?: string;
  audience?: string;
  inResponseTo?: string | null;
  /** The assertion's SubjectConfirmationData InResponseTo, when it differs from the Response's. */
  assertionInResponseTo?: string | null;
  nameId?: string;
  nameIdFormat?: string;
  attributes?: Record<string, string[]>;
  /** Seconds from now. */
  notBeforeOffset?: number;
  notOnOrAfterOffset?: number;
  status?: string;
  responseId?: string;
  assertionId?: string;
  encrypt?: Encryption;
}

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const id = () => `_${randomBytes(16).toString('hex')}`;

export function buildAssertion(o: ResponseOptions, assertionId: string): string {
  const issuer = o.assertionIssuer ?? o.idp.entityId;
  const nb = o.now + (o.notBeforeOffset ?? -60) * 1000;
  const noa = o.now + (o.notOnOrAfterOffset ?? 300) * 1000;
  const irt = o.assertionInResponseTo === undefined ? o.inResponseTo : o.assertionInResponseTo;
  const attrs = Object.entries(o.attributes ?? { mail: ['alice@example.org'], givenName: ['Alice'] })
    .map(
      ([name, values]) =>
        `<saml:Attribute Name="${esc(name)}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:basic">${values
          .map((v) => `<saml:AttributeValue>${esc(v)}</saml:AttributeValue>`)
          .join('')}</saml:Attribute>`,
    )
    .join('');
  return (
    `<saml:Assertion xmlns:saml="${NS.saml}" ID="${assertionId}" Version="2.0" IssueInstant="${iso(o.now)}">` +
    `<saml:Issuer>${esc(issuer)}</saml:Issuer>` +
    `<saml:Subject><saml:NameID Format="${esc(o.nameIdFormat ?? 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress')}">${esc(o.nameId ?? 'alice@example.org')}</saml:NameID>` +
    `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData${irt ? ` InResponseTo="${esc(irt)}"` : ''} NotOnOrAfter="${iso(noa)}" Recipient="${esc(o.recipient ?? SP.acsUrl)}"/></saml:SubjectConfirmation></saml:Subject>` +
    `<saml:Conditions NotBefore="${iso(nb)}" NotOnOrAfter="${iso(noa)}"><saml:AudienceRestriction><saml:Audience>${esc(o.audience ?? SP.entityId)}</saml:Audience></saml:AudienceRestriction></saml:Conditions>` +
    `<saml:AuthnStatement AuthnInstant="${iso(o.now - 5000)}" SessionIndex="_session_1"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>` +
    (attrs ? `<saml:AttributeStatement>${attrs}</saml:AttributeStatement>` : '') +
    '</saml:Assertion>'
  );
}

/** Signs the element named `localName` (the root's child Issuer is where the signature goes). */
export function signElement(
  xml: string,
  localName: 'Assertion' | 'Response' | 'LogoutRequest' | 'LogoutResponse',
  o: Pick<ResponseOptions, 'idp' | 'signWith' | 'keyInfo' | 'signatureAlgorithm' | 'digestAlgorithm'>,
): string {
  const key = o.signWith ?? o.idp;
  const sx = new SignedXml({
    privateKey: key.keyPem,
    publicCert: o.keyInfo === false ? undefined : key.certPem,
    canonicalizationAlgorithm: EXC_C14N,
    signatureAlgorithm: o.signatureAlgorithm ?? SIG.rsaSha256,
  });
  sx.SignatureAlgorithms = allowedSignatureAlgorithms(true);
  sx.HashAlgorithms = allowedDigestAlgorithms(true);
  const target = `/*[local-name(.)='${localName}']`;
  const xpath = localName === 'Assertion' ? `//*[local-name(.)='Assertion']` : target;
  sx.addReference({
    xpath,
    transforms: [ENVELOPED, EXC_C14N],
    digestAlgorithm: o.digestAlgorithm ?? DIGEST.sha256,
  });
  sx.computeSignature(xml, {
    prefix: 'ds',
    location: { reference: `${xpath}/*[local-name(.)='Issuer']`, action: 'after' },
  });
  return sx.getSignedXml();
}

function oaepEncode(
  key: KeyObject,
  message: Buffer,
  digest: 'sha1' | 'sha256',
  mgf: 'sha1' | 'sha256',
): Buffer {
  const k = Math.ceil(key.asymmetricKeyDetails!.modulusLength! / 8);
  const hLen = digest === 'sha1' ? 20 : 32;
  const mgfHLen = mgf === 'sha1' ? 20 : 32;
  const mask = (seed: Buffer, len: number) => {
    const parts: Buffer[] = [];
    for (let i = 0; parts.length * mgfHLen < len; i++) {
      const c = Buffer.alloc(4);
      c.writeUInt32BE(i);
      parts.push(createHash(mgf).update(seed).update(c).digest());
    }
    return Buffer.concat(parts).subarray(0, len);
  };
  const db = Buffer.concat([
    createHash(digest).update(Buffer.alloc(0)).digest(),
    Buffer.alloc(k - message.length - 2 * hLen - 2),
    Buffer.from([1]),
    message,
  ]);
  const seed = randomBytes(hLen);
  const maskedDb = Buffer.from(db.map((b, i) => b ^ mask(seed, db.length)[i]!));
  const maskedSeed = Buffer.from(seed.map((b, i) => b ^ mask(maskedDb, hLen)[i]!));
  const em = Buffer.concat([Buffer.from([0]), maskedSeed, maskedDb]);
  return publicEncrypt({ key, padding: constants.RSA_NO_PADDING }, em);
}

const CONTENT_URI = {
  'aes128-gcm': XENC.aes128gcm,
  'aes256-gcm': XENC.aes256gcm,
  'aes128-cbc': XENC.aes128cbc,
  'aes256-cbc': XENC.aes256cbc,
  'tripledes-cbc': 'http://www.w3.org/2001/04/xmlenc#tripledes-cbc',
} as const;

/** An EncryptedAssertion holding `assertionXml`, for the SP whose certificate is given. */
export function encryptAssertion(assertionXml: string, e: Encryption): string {
  const gcm = e.content.endsWith('gcm');
  const keyLength = e.content.startsWith('aes128') ? 16 : e.content.startsWith('aes256') ? 32 : 24;
  const cek = randomBytes(keyLength);
  const iv = randomBytes(gcm ? 12 : e.content === 'tripledes-cbc' ? 8 : 16);
  const plain = Buffer.from(assertionXml, 'utf8');
  let data: Buffer;
  if (gcm) {
    const c = createCipheriv(`aes-${keyLength * 8}-gcm` as 'aes-256-gcm', cek, iv);
    data = Buffer.concat([iv, c.update(plain), c.final(), c.getAuthTag()]);
  } else {
    const cipher = e.content === 'tripledes-cbc' ? 'des-ede3-cbc' : `aes-${keyLength * 8}-cbc`;
    const c = createCipheriv(cipher, cek, iv);
    data = Buffer.concat([iv, c.update(plain), c.final()]);
  }
  const pub = createPublicKey(e.certPem);
  let wrapped: Buffer;
  let method: string;
  if (e.transport === 'rsa-1_5') {
    wrapped = publicEncrypt({ key: pub, padding: constants.RSA_PKCS1_PADDING }, cek);
    method = `<xenc:EncryptionMethod Algorithm="${XENC.rsa15}"/>`;
  } else if (e.transport === 'mgf1p-sha1') {
    wrapped = publicEncrypt({ key: pub, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, cek);
    method = `<xenc:EncryptionMethod Algorithm="${XENC.rsaOaepMgf1p}"><ds:DigestMethod Algorithm="${XENC.sha1}"/></xenc:EncryptionMethod>`;
  } else if (e.transport === 'mgf1p-sha256') {
    wrapped = oaepEncode(pub, cek, 'sha256', 'sha1');
    method = `<xenc:EncryptionMethod Algorithm="${XENC.rsaOaepMgf1p}"><ds:DigestMethod Algorithm="${XENC.sha256}"/></xenc:EncryptionMethod>`;
  } else {
    wrapped = publicEncrypt({ key: pub, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, cek);
    method = `<xenc:EncryptionMethod Algorithm="${XENC.rsaOaep}"><xenc11:MGF xmlns:xenc11="${NS.xenc11}" Algorithm="${XENC.mgf1sha256}"/><ds:DigestMethod Algorithm="${XENC.sha256}"/></xenc:EncryptionMethod>`;
  }
  const encryptedKey = `<xenc:EncryptedKey xmlns:xenc="${NS.xenc}" xmlns:ds="${NS.ds}">${method}<xenc:CipherData><xenc:CipherValue>${wrapped.toString('base64')}</xenc:CipherValue></xenc:CipherData></xenc:EncryptedKey>`;
  return (
    `<saml:EncryptedAssertion><xenc:EncryptedData xmlns:xenc="${NS.xenc}" Type="http://www.w3.org/2001/04/xmlenc#Element">` +
    `<xenc:EncryptionMethod Algorithm="${CONTENT_URI[e.content]}"/>` +
    (e.keyOutside ? '' : `<ds:KeyInfo xmlns:ds="${NS.ds}">${encryptedKey}</ds:KeyInfo>`) +
    `<xenc:CipherData><xenc:CipherValue>${data.toString('base64')}</xenc:CipherValue></xenc:CipherData></xenc:EncryptedData>` +
    (e.keyOutside ? encryptedKey : '') +
    '</saml:EncryptedAssertion>'
  );
}

/** A SAML 2.0 Response as the IdP would post it (XML). */
export function buildResponse(o: ResponseOptions): string {
  const sign = o.sign ?? 'assertion';
  let assertion = buildAssertion(o, o.assertionId ?? id());
  if (sign === 'assertion' || sign === 'both') assertion = signElement(assertion, 'Assertion', o);
  if (o.encrypt) assertion = encryptAssertion(assertion, o.encrypt);
  const responseIssuer = o.responseIssuer === undefined ? o.idp.entityId : o.responseIssuer;
  const destination = o.destination === undefined ? SP.acsUrl : o.destination;
  const status = o.status ?? 'urn:oasis:names:tc:SAML:2.0:status:Success';
  let xml =
    `<samlp:Response xmlns:samlp="${NS.samlp}" xmlns:saml="${NS.saml}" ID="${o.responseId ?? id()}" Version="2.0" IssueInstant="${iso(o.now)}"` +
    (destination ? ` Destination="${esc(destination)}"` : '') +
    (o.inResponseTo ? ` InResponseTo="${esc(o.inResponseTo)}"` : '') +
    '>' +
    (responseIssuer ? `<saml:Issuer>${esc(responseIssuer)}</saml:Issuer>` : '') +
    `<samlp:Status><samlp:StatusCode Value="${esc(status)}"/></samlp:Status>` +
    assertion +
    '</samlp:Response>';
  if (sign === 'response' || sign === 'both') xml = signElement(xml, 'Response', o);
  return xml;
}

export const base64 = (xml: string) => Buffer.from(xml, 'utf8').toString('base64');

/** An IdP as the portal would trust it, from a test IdP's certificate. */
export function trusted(idp: TestIdp, more: Partial<TrustedIdp> = {}): TrustedIdp {
  return {
    entityId: idp.entityId,
    signingCertificates: [idp.certPem],
    allowSha1: false,
    requireSigned: 'assertion',
    decryptionKeys: [],
    ...more,
  };
}

/** In-memory request store and replay cache, with the same semantics as the database ones. */
export function memoryStores() {
  const requests = new Map<string, SentRequest & { expires: number; answered: boolean }>();
  const seen = new Map<string, number>();
  return {
    sent(id: string, now: number, idpEntityId: string | null = null, ttlMs = 600_000) {
      requests.set(id, {
        id,
        login: 'login1',
        oauthTransactionId: 'oauth1',
        idpEntityId,
        expires: now + ttlMs,
        answered: false,
      });
    },
    requests: {
      async consume(rid: string, now: number) {
        const r = requests.get(rid);
        if (!r) return 'unknown' as const;
        if (r.answered) return 'reused' as const;
        if (r.expires <= now) return 'expired' as const;
        r.answered = true;
        return {
          id: r.id,
          login: r.login,
          oauthTransactionId: r.oauthTransactionId,
          idpEntityId: r.idpEntityId,
        };
      },
    },
    replay: {
      async remember(idp: string, aid: string, expires: number, now: number) {
        const key = `${idp} ${aid}`;
        const until = seen.get(key);
        if (until !== undefined && until > now) return false;
        seen.set(key, expires);
        return true;
      },
    },
  };
}

/** A validation environment around fixed time and in-memory stores. */
export function testEnv(
  idps: TrustedIdp[],
  now: number,
  stores = memoryStores(),
): ValidationEnv & { stores: ReturnType<typeof memoryStores> } {
  return {
    idps: { byEntityId: async (entityId) => idps.find((i) => i.entityId === entityId) },
    sp: { entityId: SP.entityId, acsUrls: [SP.acsUrl] },
    clock: { now: () => now },
    requests: stores.requests,
    replay: stores.replay,
    stores,
  };
}

/** An IdP's LogoutRequest or LogoutResponse (unsigned XML; sign with signElement or redirectQuery). */
export function buildLogoutMessage(
  o: {
    idp: TestIdp;
    now: number;
    destination: string;
    id?: string;
    issuer?: string;
  } & (
    | { kind: 'request'; nameId: string; sessionIndex?: string | null; notOnOrAfterOffset?: number }
    | { kind: 'response'; inResponseTo: string; status?: string }
  ),
): string {
  const head = (name: string, extra: string) =>
    `<samlp:${name} xmlns:samlp="${NS.samlp}" xmlns:saml="${NS.saml}" ID="${o.id ?? id()}" Version="2.0" IssueInstant="${iso(o.now)}" Destination="${esc(o.destination)}"${extra}>` +
    `<saml:Issuer>${esc(o.issuer ?? o.idp.entityId)}</saml:Issuer>`;
  if (o.kind === 'response')
    return (
      head('LogoutResponse', ` InResponseTo="${esc(o.inResponseTo)}"`) +
      `<samlp:Status><samlp:StatusCode Value="${esc(o.status ?? 'urn:oasis:names:tc:SAML:2.0:status:Success')}"/></samlp:Status>` +
      '</samlp:LogoutResponse>'
    );
  return (
    head('LogoutRequest', ` NotOnOrAfter="${iso(o.now + (o.notOnOrAfterOffset ?? 300) * 1000)}"`) +
    `<saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">${esc(o.nameId)}</saml:NameID>` +
    (o.sessionIndex === null
      ? ''
      : `<samlp:SessionIndex>${esc(o.sessionIndex ?? '_session_1')}</samlp:SessionIndex>`) +
    '</samlp:LogoutRequest>'
  );
}

/** The HTTP-Redirect binding's query for a message: DEFLATE, base64, and the RSA-SHA256 query signature unless `sign` is false. */
export function redirectQuery(
  xml: string,
  param: 'SAMLRequest' | 'SAMLResponse',
  o: { key?: KeyPair | false; relayState?: string; sigAlg?: string },
): string {
  const enc = encodeURIComponent;
  let q = `${param}=${enc(deflateRawSync(Buffer.from(xml, 'utf8')).toString('base64'))}`;
  if (o.relayState !== undefined) q += `&RelayState=${enc(o.relayState)}`;
  if (o.key) {
    const alg = o.sigAlg ?? SIG.rsaSha256;
    q += `&SigAlg=${enc(alg)}`;
    const hash = alg === SIG.rsaSha1 ? 'sha1' : 'sha256';
    q += `&Signature=${enc(createSign(hash).update(q).sign(o.key.keyPem, 'base64'))}`;
  }
  return q;
}
