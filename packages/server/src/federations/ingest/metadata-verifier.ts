/**
 * Verifies signed SAML metadata while it streams, and reads its identity providers on the way.
 *
 * The document is never held: the parser's events go (1) to an exclusive canonicaliser whose
 * output feeds the Reference's digest as it is produced, (2) to a tree of the current entity
 * only, read and dropped at its end. The root's start and the ds:Signature (its first child,
 * where the SAML metadata schema puts it) are held until the SignedInfo has been read, because
 * the Reference's transforms (its InclusiveNamespaces) decide how the root's start is
 * canonicalised; the signature value is checked right then with the configured key, so that a
 * document signed by anyone else is refused after a few kilobytes. validUntil is checked at
 * the root's start. The digest is compared at the end: only then is the document good, so the
 * caller must keep what it read invisible until `finish()` returns.
 */
import type { KeyObject } from 'node:crypto';
import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import {
  FederationDigestMismatch,
  FederationNotEntitiesDescriptor,
  FederationNotWellFormed,
  FederationSignatureMissing,
  FederationValidityTooLong,
  FederationValidUntilMissing,
  FederationValidUntilPast,
} from '../errors.ts';
import {
  ChunkedHash,
  DSIG_NS,
  declarations,
  readSignature,
  replay,
  type SignedInfoSpec,
  verifySignedInfo,
  type XmlEvent,
} from '../xml/dsig.ts';
import { ExcC14nWriter, type XmlStartTag } from '../xml/exc-c14n.ts';
import { createXmlEventParser, type XmlEventParser, type XmlHandler } from '../xml/xml-events.ts';
import { parseDuration } from './duration.ts';
import { EntityTreeBuilder, type IdpRecord, idpRecord, MD_NS } from './idp-record.ts';

export interface MetadataVerifyOptions {
  /** The federation's signing keys (from its configured certificates): the only keys trusted. */
  keys: readonly KeyObject[];
  /** Epoch ms. */
  now: number;
  /** The longest validity accepted: validUntil - now. */
  maxValidityMs: number;
  /** The root expected: an aggregate, or one entity (an MDQ answer). */
  root: 'EntitiesDescriptor' | 'EntityDescriptor';
  /** Called for each identity provider, as soon as its element ends (not yet verified!). */
  onIdp(rec: IdpRecord): void;
  /** For messages: 'The metadata of <federation>'. */
  what?: string;
}

export interface VerifiedMetadata {
  /** The root's ID and Name, if any. */
  id: string | null;
  name: string | null;
  /** Epoch ms. */
  validUntil: number;
  /** cacheDuration in ms, when present. */
  cacheDurationMs: number | null;
  /** md:EntityDescriptor elements seen, and how many were identity providers. */
  entities: number;
  idps: number;
  digestAlgorithm: string;
  signatureAlgorithm: string;
  /** The document's size in bytes as read. */
  bytes: number;
}

/**
 * The largest piece of the document decoded and parsed at once. Strings longer than about
 * 128 KB go straight to V8's large-object space, which only a full collection frees.
 */
const PIECE = 32 * 1024;

type Phase = 'prolog' | 'head' | 'signature' | 'body' | 'after';

class MetadataHandler implements XmlHandler {
  phase: Phase = 'prolog';
  depth = 0;
  rootTag: XmlStartTag | undefined;
  validUntil = 0;
  cacheDurationMs: number | null = null;
  entities = 0;
  idps = 0;
  spec: SignedInfoSpec | undefined;
  hash: ChunkedHash | undefined;
  #prolog: XmlEvent[] = [];
  #head: XmlEvent[] = [];
  #sig: XmlEvent[] = [];
  #writer: ExcC14nWriter | undefined;
  readonly #entity = new EntityTreeBuilder();
  readonly #opts: MetadataVerifyOptions;
  readonly #what: string;

  constructor(opts: MetadataVerifyOptions) {
    this.#opts = opts;
    this.#what = opts.what ?? 'The metadata';
  }

  startElement(tag: XmlStartTag): void {
    this.depth++;
    if (this.phase === 'body') this.#writer!.startElement(tag);
    else if (this.depth === 1) this.#root(tag);
    else if (this.phase === 'signature') this.#sig.push({ t: 'start', tag });
    else if (this.depth === 2 && tag.uri === DSIG_NS && tag.local === 'Signature') {
      this.phase = 'signature';
      this.#sig.push({ t: 'start', tag });
    } else throw this.#unsigned();
    if (this.#entity.active) this.#entity.start(tag);
    else if (tag.local === 'EntityDescriptor' && tag.uri === MD_NS) this.#entity.start(tag);
  }

  endElement(): void {
    if (this.phase === 'body') this.#writer!.endElement();
    else if (this.phase === 'signature') {
      this.#sig.push({ t: 'end' });
      if (this.depth === 2) this.#signatureRead();
    } else throw this.#unsigned();
    if (this.#entity.active) {
      const tree = this.#entity.end();
      if (tree) {
        this.entities++;
        const rec = idpRecord(tree);
        if (rec) {
          this.idps++;
          this.#opts.onIdp(rec);
        }
      }
    }
    if (--this.depth === 0) this.phase = 'after';
  }

  text(t: string): void {
    if (this.phase === 'body') this.#writer!.text(t);
    else if (this.phase === 'head') this.#head.push({ t: 'text', v: t });
    else if (this.phase === 'signature') this.#sig.push({ t: 'text', v: t });
    if (this.#entity.active) this.#entity.text(t);
  }

  comment(c: string): void {
    // Comments never count in a same-document reference; inside the SignedInfo they may.
    if (this.phase === 'signature') this.#sig.push({ t: 'comment', v: c });
  }

  processingInstruction(target: string, body: string): void {
    const e: XmlEvent = { t: 'pi', target, body };
    if (this.phase === 'prolog') this.#prolog.push(e);
    else if (this.phase === 'head') this.#head.push(e);
    else if (this.phase === 'signature') this.#sig.push(e);
    else if (this.phase === 'body' || this.spec?.reference.uri === '')
      this.#writer?.processingInstruction(target, body);
  }

  #root(tag: XmlStartTag): void {
    if (tag.uri !== MD_NS || tag.local !== this.#opts.root)
      throw new MeridianError(
        FederationNotEntitiesDescriptor,
        `${this.#what} is not SAML metadata of the expected kind: its root element is {${tag.uri}}${tag.local}, not md:${this.#opts.root}. ${FederationNotEntitiesDescriptor.fix}`,
      );
    this.rootTag = tag;
    this.phase = 'head';
    this.#head.push({ t: 'start', tag });
    const raw = rootAttr(tag, 'validUntil');
    const validUntil = raw === undefined ? Number.NaN : Date.parse(raw.trim());
    if (!Number.isFinite(validUntil))
      throw new MeridianError(
        FederationValidUntilMissing,
        raw === undefined
          ? `${this.#what} has no validUntil. ${FederationValidUntilMissing.fix}`
          : `${this.#what} has a validUntil that is not a date ("${raw.slice(0, 40)}").`,
      );
    const now = this.#opts.now;
    if (validUntil <= now)
      throw new MeridianError(
        FederationValidUntilPast,
        `${this.#what} expired at ${new Date(validUntil).toISOString()} (validUntil). ${FederationValidUntilPast.fix}`,
      );
    if (validUntil - now > this.#opts.maxValidityMs)
      throw new MeridianError(
        FederationValidityTooLong,
        `${this.#what} is valid until ${new Date(validUntil).toISOString()}, more than ${Math.round(
          this.#opts.maxValidityMs / 86_400_000,
        )} days from now. ${FederationValidityTooLong.fix}`,
      );
    this.validUntil = validUntil;
    const cache = rootAttr(tag, 'cacheDuration');
    this.cacheDurationMs = cache === undefined ? null : parseDuration(cache);
  }

  #unsigned(): MeridianError {
    return new MeridianError(
      FederationSignatureMissing,
      `${this.#what} is not signed: the first child of its root is not a ds:Signature. ${FederationSignatureMissing.fix}`,
    );
  }

  /** The ds:Signature has ended: check the signature, then canonicalise from the root's start on. */
  #signatureRead(): void {
    const root = this.rootTag!;
    const spec = readSignature(this.#sig, declarations(root), rootAttr(root, 'ID'));
    verifySignedInfo(spec, this.#opts.keys);
    this.spec = spec;
    this.hash = new ChunkedHash(spec.reference.digest);
    this.#writer = new ExcC14nWriter({
      withComments: spec.reference.withComments,
      inclusivePrefixes: spec.reference.inclusivePrefixes,
      write: this.hash.write,
    });
    if (spec.reference.uri === '') replay(this.#prolog, this.#writer);
    replay(this.#head, this.#writer);
    this.#prolog = [];
    this.#head = [];
    this.#sig = [];
    this.phase = 'body';
  }
}

function rootAttr(tag: XmlStartTag, local: string): string | undefined {
  for (const k in tag.attributes) {
    const a = tag.attributes[k]!;
    if (a.local === local && a.uri === '') return a.value;
  }
  return undefined;
}

/** A verifier for one document: write its bytes as they arrive, then finish. */
export class MetadataVerifier {
  readonly #handler: MetadataHandler;
  readonly #parser: XmlEventParser;
  readonly #decoder = new TextDecoder('utf-8', { fatal: true });
  bytes = 0;

  constructor(opts: MetadataVerifyOptions) {
    this.#handler = new MetadataHandler(opts);
    this.#parser = createXmlEventParser(this.#handler, opts.what);
  }

  /** md:EntityDescriptor elements read so far. */
  get entities(): number {
    return this.#handler.entities;
  }

  get idps(): number {
    return this.#handler.idps;
  }

  write(chunk: Uint8Array | string): void {
    if (typeof chunk === 'string') {
      this.bytes += Buffer.byteLength(chunk);
      this.#parser.write(chunk);
      return;
    }
    // In pieces of at most PIECE bytes: every string the parser makes from a piece stays in
    // V8's young generation and dies there, whatever the size of the chunks the source sends.
    for (let i = 0; i < chunk.length; i += PIECE) {
      const piece = chunk.subarray(i, i + PIECE);
      this.bytes += piece.length;
      this.#parser.write(this.#decode(piece, true));
    }
  }

  /** The end of the document: throws unless it is complete, signed as required and unaltered. */
  finish(): VerifiedMetadata {
    let rest: string;
    try {
      rest = this.#decode(new Uint8Array(0), false);
    } catch (err) {
      // A multi-byte character cut in two at the end: the document was cut short.
      if (this.#parser.depth > 0) this.#parser.close();
      throw err;
    }
    if (rest) this.#parser.write(rest);
    this.#parser.close();
    const h = this.#handler;
    if (!h.spec || !h.hash) throw new MeridianError(FederationSignatureMissing);
    const digest = h.hash.digest();
    if (!digest.equals(h.spec.reference.digestValue))
      throw new MeridianError(
        FederationDigestMismatch,
        `The metadata was altered after it was signed: its ${h.spec.reference.digest} digest is ${digest.toString(
          'base64',
        )}, the signed one ${h.spec.reference.digestValue.toString('base64')}. ${FederationDigestMismatch.fix}`,
      );
    return {
      id: rootAttr(h.rootTag!, 'ID') ?? null,
      name: rootAttr(h.rootTag!, 'Name') ?? null,
      validUntil: h.validUntil,
      cacheDurationMs: h.cacheDurationMs,
      entities: h.entities,
      idps: h.idps,
      digestAlgorithm: h.spec.reference.digest,
      signatureAlgorithm: `${h.spec.signature.kind}-${h.spec.signature.hash}`,
      bytes: this.bytes,
    };
  }

  #decode(chunk: Uint8Array, stream: boolean): string {
    try {
      return this.#decoder.decode(chunk, { stream });
    } catch {
      throw new MeridianError(
        FederationNotWellFormed,
        `The metadata is not valid UTF-8 (near byte ${this.bytes}). ${FederationNotWellFormed.fix}`,
      );
    }
  }
}
