/**
 * The streaming XML parser (saxes, namespaces resolved) as a sequence of events for one
 * handler. A DOCTYPE is refused as soon as it is seen; a well-formedness error stops the parse
 * with federation.not_well_formed (the first one, not the parser's follow-ups).
 */
import { SaxesParser, type SaxesTagNS } from 'saxes';
import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import { FederationDoctypeRefused, FederationNotWellFormed, FederationTruncated } from '../errors.ts';
import type { XmlStartTag } from './exc-c14n.ts';

export interface XmlHandler {
  startElement(tag: XmlStartTag): void;
  endElement(): void;
  /** Character data: text and CDATA sections, already unescaped. */
  text(t: string): void;
  comment(c: string): void;
  processingInstruction(target: string, body: string): void;
}

export interface XmlEventParser {
  /** Feeds the next piece of the document (throws the first error). */
  write(chunk: string): void;
  /** The end of the document: throws federation.truncated if an element is still open. */
  close(): void;
  /** Elements open now. */
  readonly depth: number;
}

/**
 * saxes keeps its event handlers as properties of the parser object. Added after the parser
 * was constructed, the seventh one turns it into a dictionary-mode object in V8, and every
 * property read of saxes's per-character loop slows down (about 4 × over a 45 MB aggregate).
 * Added while a subclass constructs it, they fit the instance's in-object slack and the
 * parser stays a fast object.
 */
class EventParser extends SaxesParser<{ xmlns: true; position: false }> {
  constructor(setup: (p: EventParser) => void) {
    super({ xmlns: true, position: false });
    setup(this);
  }
}

export function createXmlEventParser(h: XmlHandler, what = 'The metadata'): XmlEventParser {
  let depth = 0;
  let failure: Error | undefined;
  let rootSeen = false;
  const p = new EventParser((parser) => {
    // After a well-formedness error saxes goes on; its events then mean nothing and are ignored.
    parser.on('opentag', (tag: SaxesTagNS) => {
      if (failure) return;
      depth++;
      rootSeen = true;
      h.startElement(tag);
    });
    parser.on('closetag', () => {
      if (failure) return;
      depth--;
      h.endElement();
    });
    parser.on('text', (t) => failure || h.text(t));
    parser.on('cdata', (t) => failure || h.text(t));
    parser.on('comment', (c) => failure || h.comment(c));
    parser.on('processinginstruction', (pi) => failure || h.processingInstruction(pi.target ?? '', pi.body));
    parser.on('doctype', () => {
      throw new MeridianError(
        FederationDoctypeRefused,
        `${what} contains a DOCTYPE: refused. ${FederationDoctypeRefused.fix}`,
      );
    });
    parser.on('error', (err) => {
      failure ??= err;
    });
  });
  const check = () => {
    if (failure) {
      const err = failure;
      throw new MeridianError(
        FederationNotWellFormed,
        `${what} is not well-formed XML: ${err.message}. ${FederationNotWellFormed.fix}`,
      );
    }
  };
  return {
    write(chunk) {
      if (failure) check();
      p.write(chunk);
      check();
    },
    close() {
      if (failure) check();
      if (depth > 0 || !rootSeen)
        throw new MeridianError(
          FederationTruncated,
          rootSeen
            ? `${what} ended with ${depth} element(s) still open: it was cut short. ${FederationTruncated.fix}`
            : `${what} is empty: it has no root element. ${FederationTruncated.fix}`,
        );
      p.close();
      check();
    },
    get depth() {
      return depth;
    },
  };
}
