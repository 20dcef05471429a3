/**
 * Exclusive XML Canonicalization 1.0 (http://www.w3.org/2001/10/xml-exc-c14n#, with and
 * without comments) as a streaming writer: it is fed the parser's events one by one (an
 * element's start with its attributes, text, comments, processing instructions, an element's
 * end) and writes the canonical form through `write` as it goes, so that a digest of a
 * document of any size is computed without a tree. What it does, per the specification:
 * - a namespace declaration is rendered on an element only where it is visibly utilised (the
 *   element's prefix, or a prefixed attribute's) or its prefix is in the InclusiveNamespaces
 *   PrefixList, and only when the nearest output ancestor did not render the same prefix with
 *   the same URI; xmlns="" only where an output ancestor rendered a non-empty default; the
 *   xml prefix never;
 * - namespace declarations first (by prefix, the default first), then attributes sorted by
 *   namespace URI (none first) then local name;
 * - attribute values and text escaped as the specification says (&amp; &lt; &quot; &#x9;
 *   &#xA; &#xD; in attributes; &amp; &lt; &gt; &#xD; in text); CDATA as escaped text;
 * - empty elements as a start and an end tag; comments only in the WithComments variant;
 *   outside the document element, comments and processing instructions separated by line
 *   feeds, and whitespace dropped.
 * The parser (saxes) already normalised line ends and attribute whitespace and resolved
 * character and entity references, as the XML data model the specification starts from.
 */

export const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';
export const EXC_C14N_WITH_COMMENTS = 'http://www.w3.org/2001/10/xml-exc-c14n#WithComments';

export const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';
export const XML_NS = 'http://www.w3.org/XML/1998/namespace';

/** An attribute as the parser reports it (saxes with xmlns: true). */
export interface XmlAttribute {
  name: string;
  prefix: string;
  local: string;
  uri: string;
  value: string;
}

/** An element's start as the parser reports it. */
export interface XmlStartTag {
  name: string;
  prefix: string;
  local: string;
  uri: string;
  attributes: Record<string, XmlAttribute>;
}

export interface ExcC14nOptions {
  withComments: boolean;
  /** The InclusiveNamespaces PrefixList ('#default' for the default namespace). */
  inclusivePrefixes?: readonly string[];
  /**
   * The namespaces in scope where the canonicalised subtree starts (declared by ancestors
   * that are not in the output): only consulted for the inclusive prefixes.
   */
  inScope?: Readonly<Record<string, string>>;
  write(chunk: string): void;
}

const ATTR_SPECIAL = /[&<"\t\n\r]/;
const TEXT_SPECIAL = /[&<>\r]/;

export function escapeAttribute(v: string): string {
  if (!ATTR_SPECIAL.test(v)) return v;
  return v
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/"/g, '&quot;')
    .replace(/\t/g, '&#x9;')
    .replace(/\n/g, '&#xA;')
    .replace(/\r/g, '&#xD;');
}

export function escapeText(v: string): string {
  if (!TEXT_SPECIAL.test(v)) return v;
  return v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#xD;');
}

const byPrefix = (a: [string, string], b: [string, string]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
const byUriLocal = (a: XmlAttribute, b: XmlAttribute) =>
  a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : a.local < b.local ? -1 : a.local > b.local ? 1 : 0;

interface Frame {
  name: string;
  /** Prefixes this element rendered, with what the nearest ancestor had rendered before (undefined: none). */
  rendered: [string, string | undefined][] | undefined;
  /** Prefixes this element declared, with their previous binding in scope. */
  declared: [string, string | undefined][] | undefined;
}

/** One canonicalisation of a subtree (or of a whole document), fed event by event. */
export class ExcC14nWriter {
  readonly #write: (chunk: string) => void;
  readonly #comments: boolean;
  readonly #inclusive: readonly string[];
  /** prefix → URI rendered by the nearest output ancestor ('' for the default namespace). */
  readonly #rendered = new Map<string, string>();
  /** prefix → URI in scope (declarations seen so far), for the inclusive prefixes. */
  readonly #scope = new Map<string, string>();
  readonly #stack: Frame[] = [];
  /** Whether the document element has ended (for the line feeds around top-level nodes). */
  #afterRoot = false;

  constructor(opts: ExcC14nOptions) {
    this.#write = opts.write;
    this.#comments = opts.withComments;
    this.#inclusive = (opts.inclusivePrefixes ?? []).map((p) => (p === '#default' ? '' : p));
    for (const [p, u] of Object.entries(opts.inScope ?? {})) this.#scope.set(p, u);
  }

  get depth(): number {
    return this.#stack.length;
  }

  startElement(tag: XmlStartTag): void {
    let declared: Frame['declared'];
    const attrs: XmlAttribute[] = [];
    for (const key in tag.attributes) {
      const a = tag.attributes[key]!;
      if (a.uri === XMLNS_NS || a.name === 'xmlns') {
        const p = a.prefix === 'xmlns' ? a.local : '';
        if (!declared) declared = [];
        declared.push([p, this.#scope.get(p)]);
        this.#scope.set(p, a.value);
      } else attrs.push(a);
    }
    // The prefixes this element visibly utilises, then the inclusive ones.
    const used: string[] = [tag.prefix];
    for (const a of attrs)
      if (a.prefix && a.prefix !== 'xml' && !used.includes(a.prefix)) used.push(a.prefix);
    for (const p of this.#inclusive) if (!used.includes(p) && this.#scope.has(p)) used.push(p);
    let decls: [string, string][] | undefined;
    let rendered: Frame['rendered'];
    for (const p of used) {
      if (p === 'xml') continue;
      const uri =
        p === '' ? (tag.prefix === '' ? tag.uri : (this.#scope.get('') ?? '')) : (this.#scope.get(p) ?? '');
      const before = this.#rendered.get(p);
      if (before === uri) continue;
      if (p === '' && uri === '' && before === undefined) continue;
      if (!decls) decls = [];
      decls.push([p, uri]);
      if (!rendered) rendered = [];
      rendered.push([p, before]);
      this.#rendered.set(p, uri);
    }
    let out = `<${tag.name}`;
    if (decls) {
      if (decls.length > 1) decls.sort(byPrefix);
      for (const [p, u] of decls)
        out += p === '' ? ` xmlns="${escapeAttribute(u)}"` : ` xmlns:${p}="${escapeAttribute(u)}"`;
    }
    if (attrs.length > 1) attrs.sort(byUriLocal);
    for (const a of attrs) out += ` ${a.name}="${escapeAttribute(a.value)}"`;
    this.#write(`${out}>`);
    this.#stack.push({ name: tag.name, rendered, declared });
  }

  endElement(): void {
    const f = this.#stack.pop();
    if (!f) throw new Error('endElement without a start');
    this.#write(`</${f.name}>`);
    if (f.rendered)
      for (let i = f.rendered.length - 1; i >= 0; i--) {
        const [p, before] = f.rendered[i]!;
        if (before === undefined) this.#rendered.delete(p);
        else this.#rendered.set(p, before);
      }
    if (f.declared)
      for (let i = f.declared.length - 1; i >= 0; i--) {
        const [p, before] = f.declared[i]!;
        if (before === undefined) this.#scope.delete(p);
        else this.#scope.set(p, before);
      }
    if (this.#stack.length === 0) this.#afterRoot = true;
  }

  /** Character data (text or CDATA); outside the document element it is dropped. */
  text(t: string): void {
    if (this.#stack.length === 0) return;
    this.#write(escapeText(t));
  }

  comment(c: string): void {
    if (!this.#comments) return;
    this.#topLevel(`<!--${c}-->`);
  }

  processingInstruction(target: string, body: string): void {
    this.#topLevel(body ? `<?${target} ${body}?>` : `<?${target}?>`);
  }

  #topLevel(node: string): void {
    if (this.#stack.length > 0) this.#write(node);
    else if (this.#afterRoot) this.#write(`\n${node}`);
    else this.#write(`${node}\n`);
  }
}
