/**
 * The XML Signature parts of a signed metadata document: algorithms accepted, the small tree of
 * its ds:Signature (recorded while streaming, a few kilobytes), what its SignedInfo says, and
 * the check of the signature value with the configured key (never a key from the document).
 */
import { createHash, type Hash, type KeyObject, verify } from 'node:crypto';
import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import {
  FederationReferenceInvalid,
  FederationSignatureInvalid,
  FederationUnsupportedAlgorithm,
} from '../errors.ts';
import { EXC_C14N, EXC_C14N_WITH_COMMENTS, ExcC14nWriter, type XmlStartTag } from './exc-c14n.ts';

export const DSIG_NS = 'http://www.w3.org/2000/09/xmldsig#';
export const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';

export const DIGESTS: Readonly<Record<string, string>> = {
  'http://www.w3.org/2001/04/xmlenc#sha256': 'sha256',
  'http://www.w3.org/2001/04/xmldsig-more#sha384': 'sha384',
  'http://www.w3.org/2001/04/xmlenc#sha512': 'sha512',
};

export const SIGNATURES: Readonly<Record<string, { hash: string; kind: 'rsa' | 'ec' }>> = {
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256': { hash: 'sha256', kind: 'rsa' },
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha384': { hash: 'sha384', kind: 'rsa' },
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512': { hash: 'sha512', kind: 'rsa' },
  'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256': { hash: 'sha256', kind: 'ec' },
  'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384': { hash: 'sha384', kind: 'ec' },
  'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512': { hash: 'sha512', kind: 'ec' },
};

/** A recorded parser event, for the few elements held before they can be canonicalised. */
export type XmlEvent =
  | { t: 'start'; tag: XmlStartTag }
  | { t: 'end' }
  | { t: 'text'; v: string }
  | { t: 'comment'; v: string }
  | { t: 'pi'; target: string; body: string };

/** Replays recorded events into a canonicaliser. */
export function replay(events: readonly XmlEvent[], w: ExcC14nWriter): void {
  for (const e of events)
    if (e.t === 'start') w.startElement(e.tag);
    else if (e.t === 'end') w.endElement();
    else if (e.t === 'text') w.text(e.v);
    else if (e.t === 'comment') w.comment(e.v);
    else w.processingInstruction(e.target, e.body);
}

/** A small element tree (the ds:Signature only, or one entity at a time). */
export interface XmlNode {
  tag: XmlStartTag;
  children: XmlNode[];
  text: string;
}

export function buildTree(events: readonly XmlEvent[]): XmlNode {
  const stack: XmlNode[] = [];
  let root: XmlNode | undefined;
  for (const e of events) {
    if (e.t === 'start') {
      const n: XmlNode = { tag: e.tag, children: [], text: '' };
      if (stack.length) stack[stack.length - 1]!.children.push(n);
      else root ??= n;
      stack.push(n);
    } else if (e.t === 'end') stack.pop();
    else if (e.t === 'text' && stack.length) stack[stack.length - 1]!.text += e.v;
  }
  if (!root) throw new Error('no element recorded');
  return root;
}

export const child = (n: XmlNode, uri: string, local: string) =>
  n.children.find((c) => c.tag.uri === uri && c.tag.local === local);
export const childrenOf = (n: XmlNode, uri: string, local: string) =>
  n.children.filter((c) => c.tag.uri === uri && c.tag.local === local);
export const attr = (n: XmlNode, local: string, uri = ''): string | undefined => {
  for (const k in n.tag.attributes) {
    const a = n.tag.attributes[k]!;
    if (a.local === local && a.uri === uri) return a.value;
  }
  return undefined;
};

/** What the SignedInfo of an enveloped signature over the whole document says. */
export interface SignedInfoSpec {
  /** The canonical SignedInfo: what the signature value signs. */
  canonical: string;
  signature: { hash: string; kind: 'rsa' | 'ec'; value: Buffer };
  reference: {
    uri: string;
    digest: string;
    digestValue: Buffer;
    withComments: boolean;
    inclusivePrefixes: string[];
  };
}

const unsupported = (what: string) =>
  new MeridianError(
    FederationUnsupportedAlgorithm,
    `The metadata’s signature uses ${what}. ${FederationUnsupportedAlgorithm.fix}`,
  );

function inclusivePrefixesOf(method: XmlNode): string[] {
  const inc = method.children.find((c) => c.tag.local === 'InclusiveNamespaces' && c.tag.uri === EXC_C14N);
  const list = inc ? attr(inc, 'PrefixList') : undefined;
  return list ? list.split(/\s+/).filter(Boolean) : [];
}

/**
 * Reads a recorded ds:Signature (its events, from its start to its end) whose element is the
 * root's child: the SignedInfo canonicalised as its CanonicalizationMethod says, the algorithms
 * (refused unless accepted above), the one Reference and its transforms.
 * `inScope`: the namespaces declared on the root and the Signature (for inclusive prefixes).
 */
export function readSignature(
  events: readonly XmlEvent[],
  inScope: Readonly<Record<string, string>>,
  rootId: string | undefined,
): SignedInfoSpec {
  const sig = buildTree(events);
  const signedInfo = child(sig, DSIG_NS, 'SignedInfo');
  const valueNode = child(sig, DSIG_NS, 'SignatureValue');
  if (!signedInfo || !valueNode)
    throw new MeridianError(
      FederationSignatureInvalid,
      'The metadata’s ds:Signature has no SignedInfo or no SignatureValue.',
    );
  const c14n = child(signedInfo, DSIG_NS, 'CanonicalizationMethod');
  const c14nAlg = c14n && attr(c14n, 'Algorithm');
  if (c14nAlg !== EXC_C14N && c14nAlg !== EXC_C14N_WITH_COMMENTS)
    throw unsupported(`the canonicalisation ${c14nAlg ?? '(none)'}`);
  const sm = child(signedInfo, DSIG_NS, 'SignatureMethod');
  const smAlg = sm && attr(sm, 'Algorithm');
  const signature = smAlg ? SIGNATURES[smAlg] : undefined;
  if (!signature) throw unsupported(`the signature algorithm ${smAlg ?? '(none)'}`);
  const refs = childrenOf(signedInfo, DSIG_NS, 'Reference');
  if (refs.length !== 1)
    throw new MeridianError(
      FederationReferenceInvalid,
      `The metadata’s signature has ${refs.length} references; it must have exactly one, to the whole document.`,
    );
  const ref = refs[0]!;
  const uri = attr(ref, 'URI') ?? '';
  if (uri !== '' && (rootId === undefined || uri !== `#${rootId}`))
    throw new MeridianError(
      FederationReferenceInvalid,
      `The metadata’s signature references "${uri}", not the whole document (its root's ID is ${
        rootId === undefined ? 'absent' : `"${rootId}"`
      }). ${FederationReferenceInvalid.fix}`,
    );
  const transforms = child(ref, DSIG_NS, 'Transforms');
  const list = transforms ? childrenOf(transforms, DSIG_NS, 'Transform') : [];
  const algs = list.map((t) => attr(t, 'Algorithm') ?? '');
  const last = list[list.length - 1];
  if (
    list.length !== 2 ||
    algs[0] !== ENVELOPED ||
    (algs[1] !== EXC_C14N && algs[1] !== EXC_C14N_WITH_COMMENTS)
  )
    throw unsupported(
      `the transforms ${algs.join(', ') || '(none)'} (expected enveloped-signature, exc-c14n)`,
    );
  const dm = child(ref, DSIG_NS, 'DigestMethod');
  const dmAlg = dm && attr(dm, 'Algorithm');
  const digest = dmAlg ? DIGESTS[dmAlg] : undefined;
  if (!digest) throw unsupported(`the digest algorithm ${dmAlg ?? '(none)'}`);
  const dv = child(ref, DSIG_NS, 'DigestValue');

  let canonical = '';
  const signedInfoEvents = sliceElement(events, signedInfo.tag);
  replay(
    signedInfoEvents,
    new ExcC14nWriter({
      withComments: c14nAlg === EXC_C14N_WITH_COMMENTS,
      inclusivePrefixes: inclusivePrefixesOf(c14n!),
      inScope: { ...inScope, ...declarations(sig.tag) },
      write: (s) => {
        canonical += s;
      },
    }),
  );
  return {
    canonical,
    signature: { ...signature, value: Buffer.from(valueNode.text.replace(/\s+/g, ''), 'base64') },
    reference: {
      uri,
      digest,
      digestValue: Buffer.from((dv?.text ?? '').replace(/\s+/g, ''), 'base64'),
      // A same-document reference ("" or #id) drops comments before the transforms (XMLDSig
      // 4.3.3.3): the WithComments variant then finds none to keep.
      withComments: false,
      inclusivePrefixes: inclusivePrefixesOf(last!),
    },
  };
}

/** The namespace declarations on one element. */
export function declarations(tag: XmlStartTag): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k in tag.attributes) {
    const a = tag.attributes[k]!;
    if (a.name === 'xmlns') out[''] = a.value;
    else if (a.prefix === 'xmlns') out[a.local] = a.value;
  }
  return out;
}

/** The events of one element (its start to its end) inside a recording. */
function sliceElement(events: readonly XmlEvent[], tag: XmlStartTag): XmlEvent[] {
  const start = events.findIndex((e) => e.t === 'start' && e.tag === tag);
  let depth = 0;
  for (let i = start; i < events.length; i++) {
    const e = events[i]!;
    if (e.t === 'start') depth++;
    else if (e.t === 'end' && --depth === 0) return events.slice(start, i + 1);
  }
  return events.slice(start);
}

/** Checks the signature value over the canonical SignedInfo with one of the configured keys. */
export function verifySignedInfo(spec: SignedInfoSpec, keys: readonly KeyObject[]): void {
  const data = Buffer.from(spec.canonical, 'utf8');
  for (const key of keys) {
    const kind = key.asymmetricKeyType === 'ec' ? 'ec' : key.asymmetricKeyType === 'rsa' ? 'rsa' : undefined;
    if (kind !== spec.signature.kind) continue;
    let ok = false;
    try {
      ok = verify(
        spec.signature.hash,
        data,
        kind === 'ec' ? { key, dsaEncoding: 'ieee-p1363' } : key,
        spec.signature.value,
      );
    } catch {
      ok = false;
    }
    if (ok) return;
  }
  throw new MeridianError(
    FederationSignatureInvalid,
    `The metadata’s signature does not verify with the federation’s signing certificate${
      keys.length > 1 ? 's' : ''
    }. ${FederationSignatureInvalid.fix}`,
  );
}

/**
 * A hash fed by a canonicaliser's many small strings, in chunks of about 16 Ki characters: a
 * call per piece would cost more than the hashing, and longer chunks cost more to flatten and
 * encode (measured over a 45 MB aggregate: 64 Ki 200 ms, 16 Ki 135 ms, 1 Ki 170 ms; SHA-256
 * of the bytes alone takes 27 ms there).
 */
export class ChunkedHash {
  readonly #hash: Hash;
  #buf = '';
  constructor(algorithm: string) {
    this.#hash = createHash(algorithm);
  }
  readonly write = (s: string) => {
    this.#buf += s;
    if (this.#buf.length > 16_384) {
      this.#hash.update(this.#buf, 'utf8');
      this.#buf = '';
    }
  };
  digest(): Buffer {
    this.#hash.update(this.#buf, 'utf8');
    this.#buf = '';
    return this.#hash.digest();
  }
}
