import type { Element, Node } from '@xmldom/xmldom';
import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import type { Step } from '../../kernel/pipeline/pipeline.ts';
import { type Envelope, need, type SamlValidation } from './context.ts';
import { SamlCommentRefused, SamlWrappingDetected, SamlXmlMalformed } from './errors.ts';
import { is, isElement, NS } from './xml.ts';

const COMMENT_NODE = 8;
const PROCESSING_INSTRUCTION_NODE = 7;
const ID_NAMES = new Set(['ID', 'Id', 'id']);

function wrapping(why: string): MeridianError {
  return new MeridianError(
    SamlWrappingDetected,
    `The SAML response is refused: ${why}. ${SamlWrappingDetected.fix}`,
  );
}

/** What a walk of the tree found. */
interface Shape {
  responses: Element[];
  assertions: Element[];
  signatures: Element[];
}

/**
 * One walk of the whole tree under `root`: refuses comments and processing instructions (not
 * signed, and the tool of truncation attacks) and duplicate IDs (Id, ID or id, as xml-crypto
 * resolves references by any of them); collects the Responses, Assertions (plain or encrypted)
 * and Signatures wherever they are.
 */
function walk(root: Element): Shape {
  const shape: Shape = { responses: [], assertions: [], signatures: [] };
  const ids = new Set<string>();
  const stack: Node[] = [root];
  while (stack.length) {
    const node = stack.pop()!;
    if (node.nodeType === COMMENT_NODE || node.nodeType === PROCESSING_INSTRUCTION_NODE)
      throw new MeridianError(
        SamlCommentRefused,
        `The SAML message contains ${node.nodeType === COMMENT_NODE ? 'a comment' : 'a processing instruction'} inside ${node.parentNode?.nodeName ?? 'it'}. ${SamlCommentRefused.fix}`,
      );
    if (!isElement(node)) continue;
    if (is(node, NS.samlp, 'Response')) shape.responses.push(node);
    else if (is(node, NS.saml, 'Assertion') || is(node, NS.saml, 'EncryptedAssertion'))
      shape.assertions.push(node);
    else if (is(node, NS.ds, 'Signature')) shape.signatures.push(node);
    for (let i = 0; i < node.attributes.length; i++) {
      const a = node.attributes.item(i)!;
      if (!ID_NAMES.has(a.localName ?? a.name)) continue;
      if (ids.has(a.value))
        throw wrapping(`two elements have the ID ${JSON.stringify(a.value.slice(0, 80))}`);
      ids.add(a.value);
    }
    for (let c = node.lastChild; c; c = c.previousSibling) stack.push(c);
  }
  return shape;
}

/** The signature that is a direct child of `parent`: at most one. */
function signatureOf(parent: Element, signatures: Element[]): Element | undefined {
  const own = signatures.filter((s) => s.parentNode === parent);
  if (own.length > 1) throw wrapping(`the ${parent.localName} carries ${own.length} signatures`);
  return own[0];
}

/**
 * The shape of a decrypted assertion: one Assertion (itself), its signature (if any) a direct
 * child of it, nothing else signed or nested.
 */
export function checkAssertionShape(assertion: Element): Element | undefined {
  if (!is(assertion, NS.saml, 'Assertion'))
    throw new MeridianError(
      SamlXmlMalformed,
      `The encrypted assertion decrypts to a ${assertion.localName} element, not a SAML 2.0 Assertion. ${SamlXmlMalformed.fix}`,
    );
  const shape = walk(assertion);
  if (shape.responses.length) throw wrapping('the decrypted assertion contains a Response');
  if (shape.assertions.length !== 1) throw wrapping('the decrypted assertion contains another assertion');
  const signature = signatureOf(assertion, shape.signatures);
  if (shape.signatures.length !== (signature ? 1 : 0))
    throw wrapping('the decrypted assertion has a signature in a place SAML never puts one');
  return signature;
}

/**
 * check_structure: the message has the one shape IdPs produce — a samlp:Response root, at most
 * one Assertion or EncryptedAssertion anywhere and that one a child of the Response, signatures
 * only as direct children of the Response or of that Assertion (one each), unique IDs, no
 * comments. Every XML signature wrapping variant moves or copies a signed element, and so
 * breaks this shape before any signature is looked at.
 */
export const checkStructure: Step<SamlValidation> = {
  name: 'check_structure',
  run(ctx) {
    const root = need(ctx.root, 'the parsed response');
    if (!is(root, NS.samlp, 'Response'))
      throw new MeridianError(
        SamlXmlMalformed,
        `The SAML message is a ${root.localName} (${root.namespaceURI ?? 'no namespace'}), not a SAML 2.0 Response. ${SamlXmlMalformed.fix}`,
      );
    const shape = walk(root);
    if (shape.responses.length !== 1)
      throw wrapping(`it contains ${shape.responses.length} Response elements`);
    if (shape.assertions.length > 1) throw wrapping(`it contains ${shape.assertions.length} assertions`);
    const found = shape.assertions[0];
    if (found && found.parentNode !== root)
      throw wrapping(`its assertion is inside ${found.parentNode?.nodeName}`);
    const envelope: Envelope = { response: root };
    if (found && found.localName === 'Assertion') envelope.assertion = found;
    if (found && found.localName === 'EncryptedAssertion') envelope.encryptedAssertion = found;
    envelope.responseSignature = signatureOf(root, shape.signatures);
    if (envelope.assertion) envelope.assertionSignature = signatureOf(envelope.assertion, shape.signatures);
    const placed = [envelope.responseSignature, envelope.assertionSignature].filter(Boolean).length;
    if (shape.signatures.length !== placed) throw wrapping('a signature is in a place SAML never puts one');
    ctx.envelope = envelope;
    const parts = [
      envelope.assertion ? 'assertion' : envelope.encryptedAssertion ? 'encrypted assertion' : 'no assertion',
      envelope.responseSignature ? 'response signature' : 'response unsigned',
      envelope.assertion ? (envelope.assertionSignature ? 'assertion signature' : 'assertion unsigned') : '',
    ];
    return parts.filter(Boolean).join(', ');
  },
};
