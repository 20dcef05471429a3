import { X509Certificate } from 'node:crypto';
import type { Element } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import {
  allowedDigestAlgorithms,
  allowedSignatureAlgorithms,
  DIGEST,
  ENVELOPED,
  EXC_C14N,
  SIG,
  shortName,
} from './algorithms.ts';
import {
  SamlAlgorithmRefused,
  SamlSignatureInvalid,
  SamlSignatureKeyUntrusted,
  SamlWrappingDetected,
} from './errors.ts';
import type { TrustedIdp } from './types.ts';
import { attr, child, children, is, NS, parseXml, text } from './xml.ts';

/** What a verified signature yields: the element as signed (re-parsed from the signed reference). */
export interface SignedElement {
  element: Element;
  /** For the trace: the algorithm and which metadata certificate verified it. */
  note: string;
}

/** Only exclusive canonicalization and the enveloped-signature transform are available to xml-crypto. */
const canonicalization = (() => {
  const all = new SignedXml().CanonicalizationAlgorithms;
  return { [EXC_C14N]: all[EXC_C14N]!, [ENVELOPED]: all[ENVELOPED]! };
})();

const SHA1_URIS: ReadonlySet<string> = new Set([SIG.rsaSha1, DIGEST.sha1]);

function refused(what: string, uri: string | undefined, idp: TrustedIdp): MeridianError {
  const sha1 = uri !== undefined && SHA1_URIS.has(uri);
  const why = sha1
    ? `uses SHA-1 (${uri}), which the login of ${idp.entityId} does not allow`
    : `uses ${uri ? JSON.stringify(uri.slice(0, 120)) : 'no algorithm'}, which is not allowed`;
  return new MeridianError(SamlAlgorithmRefused, `The ${what} ${why}. ${SamlAlgorithmRefused.fix}`);
}

function invalid(what: string, why: string, detail?: string): MeridianError {
  return new MeridianError(
    SamlSignatureInvalid,
    `The signature of the ${what} ${why}. ${SamlSignatureInvalid.fix}`,
    {
      detail,
    },
  );
}

/**
 * Checks the signature's own shape and algorithms before any cryptography: one SignedInfo with
 * exclusive canonicalization, an allowed SignatureMethod, exactly one Reference pointing at the
 * signed element's own ID, transforms enveloped-signature then exclusive canonicalization, an
 * allowed DigestMethod, a SignatureValue.
 */
function checkSignatureShape(what: string, target: Element, signature: Element, idp: TrustedIdp): void {
  const signedInfo = child(signature, NS.ds, 'SignedInfo');
  if (!signedInfo) throw invalid(what, 'has no SignedInfo');
  const c14n = child(signedInfo, NS.ds, 'CanonicalizationMethod');
  const c14nAlg = c14n && attr(c14n, 'Algorithm');
  if (c14nAlg !== EXC_C14N) throw refused(`${what} signature's canonicalization`, c14nAlg, idp);
  const method = child(signedInfo, NS.ds, 'SignatureMethod');
  const sigAlg = method && attr(method, 'Algorithm');
  if (!sigAlg || !Object.hasOwn(allowedSignatureAlgorithms(idp.allowSha1), sigAlg))
    throw refused(`${what} signature`, sigAlg, idp);
  const references = children(signedInfo, NS.ds, 'Reference');
  if (references.length !== 1)
    throw new MeridianError(
      SamlWrappingDetected,
      `The signature of the ${what} has ${references.length} references; SAML signatures have exactly one. ${SamlWrappingDetected.fix}`,
    );
  const reference = references[0]!;
  const id = attr(target, 'ID');
  if (!id || attr(reference, 'URI') !== `#${id}`)
    throw new MeridianError(
      SamlWrappingDetected,
      `The signature of the ${what} does not reference the ${what} it is in (its URI is not "#" and the ${what}'s ID). ${SamlWrappingDetected.fix}`,
    );
  const transforms = child(reference, NS.ds, 'Transforms');
  const algs = transforms
    ? children(transforms, NS.ds, 'Transform').map((t) => attr(t, 'Algorithm') ?? '')
    : [];
  if (algs.length !== 2 || algs[0] !== ENVELOPED || algs[1] !== EXC_C14N)
    throw refused(
      `${what} signature's transforms (${algs.map(shortName).join(', ') || 'none'}; expected enveloped-signature then exclusive canonicalization)`,
      algs.find((a) => a !== ENVELOPED && a !== EXC_C14N),
      idp,
    );
  const digest = child(reference, NS.ds, 'DigestMethod');
  const digestAlg = digest && attr(digest, 'Algorithm');
  if (!digestAlg || !Object.hasOwn(allowedDigestAlgorithms(idp.allowSha1), digestAlg))
    throw refused(`${what} signature's digest`, digestAlg, idp);
  const value = child(signature, NS.ds, 'SignatureValue');
  if (!value || !text(value)) throw invalid(what, 'has no SignatureValue');
}

/** For the log only: the certificate a message carries in its KeyInfo (never used to verify). */
function keyInfoCertificate(signature: Element): string | undefined {
  const keyInfo = child(signature, NS.ds, 'KeyInfo');
  const data = keyInfo && children(keyInfo, NS.ds, 'X509Data')[0];
  const cert = data && children(data, NS.ds, 'X509Certificate')[0];
  if (!cert) return undefined;
  try {
    const x = new X509Certificate(Buffer.from(text(cert).replace(/\s+/g, ''), 'base64'));
    return `the message's KeyInfo carries ${x.subject.replace(/\n/g, ', ')} (SHA-256 ${x.fingerprint256})`;
  } catch {
    return "the message's KeyInfo carries something that is not a certificate";
  }
}

/**
 * Verifies the enveloped signature of `target` (a Response or Assertion in `xml`) with the IdP's
 * metadata certificates only, each in turn (KeyInfo is never read for a key), and returns the
 * element re-parsed from xml-crypto's signed reference: what the signature covers, nothing else.
 */
export function verifyEnveloped(
  what: 'Response' | 'Assertion' | 'LogoutRequest' | 'LogoutResponse',
  xml: string,
  target: Element,
  signature: Element,
  idp: TrustedIdp,
): SignedElement {
  checkSignatureShape(what, target, signature, idp);
  const signatureAlgorithms = allowedSignatureAlgorithms(idp.allowSha1);
  const hashAlgorithms = allowedDigestAlgorithms(idp.allowSha1);
  let signed: string[] | undefined;
  let used = -1;
  for (const [i, cert] of idp.signingCertificates.entries()) {
    const sx = new SignedXml({ publicCert: cert, getCertFromKeyInfo: () => null });
    sx.SignatureAlgorithms = signatureAlgorithms;
    sx.HashAlgorithms = hashAlgorithms;
    sx.CanonicalizationAlgorithms = canonicalization;
    let ok: boolean;
    try {
      sx.loadSignature(signature as unknown as string);
      ok = sx.checkSignature(xml);
    } catch (err) {
      const message = (err as Error).message ?? '';
      // The content's digests matched; the SignatureValue does not verify with this key.
      if (/signature value .* is incorrect/.test(message)) continue;
      throw invalid(what, 'cannot be verified', message.slice(0, 200));
    }
    // false: a reference's digest does not match; the content changed, whatever the key.
    if (!ok) throw invalid(what, 'does not match the signed content: it was changed after signing');
    signed = sx.getSignedReferences();
    used = i;
    break;
  }
  if (!signed)
    throw new MeridianError(
      SamlSignatureKeyUntrusted,
      `The ${what} is not signed by a key of ${idp.entityId} (${idp.signingCertificates.length} certificate(s) in its verified metadata). ${SamlSignatureKeyUntrusted.fix}`,
      { detail: keyInfoCertificate(signature) },
    );
  if (signed.length !== 1) throw invalid(what, `covers ${signed.length} references`);
  const element = parseXml(signed[0]!, `signed ${what}`);
  const ns = what === 'Assertion' ? NS.saml : NS.samlp;
  if (!is(element, ns, what) || attr(element, 'ID') !== attr(target, 'ID'))
    throw new MeridianError(
      SamlWrappingDetected,
      `The signature of the ${what} covers another element. ${SamlWrappingDetected.fix}`,
    );
  const method = attr(child(child(signature, NS.ds, 'SignedInfo')!, NS.ds, 'SignatureMethod')!, 'Algorithm')!;
  return { element, note: `${shortName(method)}, metadata certificate ${used + 1}` };
}
