import { ExcC14nWriter } from './exc-c14n.ts';
import { createXmlEventParser } from './xml-events.ts';

/**
 * The exclusive canonical form of a whole document given as text, or of its pieces as they
 * come (write each to `out`): for signing metadata, and for checking the canonicaliser.
 */
export function canonicalize(
  xml: string | Iterable<string>,
  opts: { withComments?: boolean; inclusivePrefixes?: readonly string[] } = {},
  out?: (s: string) => void,
): string {
  let text = '';
  const writer = new ExcC14nWriter({
    withComments: opts.withComments ?? false,
    inclusivePrefixes: opts.inclusivePrefixes,
    write:
      out ??
      ((s) => {
        text += s;
      }),
  });
  const parser = createXmlEventParser(
    {
      startElement: (t) => writer.startElement(t),
      endElement: () => writer.endElement(),
      text: (t) => writer.text(t),
      comment: (c) => writer.comment(c),
      processingInstruction: (t, b) => writer.processingInstruction(t, b),
    },
    'The document',
  );
  if (typeof xml === 'string') parser.write(xml);
  else for (const part of xml) parser.write(part);
  parser.close();
  return text;
}
