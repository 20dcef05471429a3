/**
 * Each validation step alone: the context is brought to the step by the steps before it (or
 * built by hand), then the step runs by itself.
 */
import assert from 'node:assert/strict';
import { constants, createPrivateKey, createPublicKey, publicEncrypt, randomBytes } from 'node:crypto';
import { before, describe, test } from 'node:test';
import type { Step } from '../../kernel/pipeline/pipeline.ts';
import { verifyAssertionSignature } from './assertion-signature.ts';
import type { SamlValidation } from './context.ts';
import { extractAssertion } from './extract.ts';
import { oaepDecrypt } from './oaep.ts';
import { parseResponse } from './parse.ts';
import { checkSize } from './size.ts';
import { samlResponsePipeline } from './steps.ts';
import { checkSubjectConfirmation } from './subject-confirmation.ts';
import {
  base64,
  buildResponse,
  createTestIdp,
  keyPair,
  type ResponseOptions,
  type TestIdp,
  testEnv,
  trusted,
} from './test-idp.ts';
import { applyXsw, EVIL_NAME_ID } from './test-xsw.ts';
import type { TrustedIdp } from './types.ts';
import { child, NS, path, text } from './xml.ts';

const NOW = Date.parse('2025-06-01T12:00:00Z');
let idp: TestIdp;
before(async () => {
  idp = await createTestIdp('https://idp.example.org/idp');
});

const xmlOf = (o: Partial<ResponseOptions> = {}) =>
  buildResponse({ idp, now: NOW, inResponseTo: '_r', ...o });

/** A context brought up to (not including) `stepName` by the steps before it. */
async function upTo(stepName: string, xml: string, idps: TrustedIdp[] = [trusted(idp)], raw = false) {
  const env = testEnv(idps, NOW);
  env.stores.sent('_r', NOW);
  const ctx: SamlValidation = { samlResponse: raw ? xml : base64(xml), env };
  for (const s of samlResponsePipeline.steps) {
    if (s.name === stepName) return ctx;
    await s.run(ctx);
  }
  throw new Error(`no step ${stepName}`);
}

const stepNamed = (name: string): Step<SamlValidation> =>
  samlResponsePipeline.steps.find((s) => s.name === name)!;

async function refusedBy(name: string, xml: string, code: string, idps?: TrustedIdp[]) {
  const ctx = await upTo(name, xml, idps);
  await assert.rejects(
    async () => stepNamed(name).run(ctx),
    (e: { code?: string }) => e.code === code,
  );
}

describe('check_size', () => {
  const ctxFor = (samlResponse: string, max: number): SamlValidation => ({
    samlResponse,
    env: { ...testEnv([], NOW), maxResponseBytes: max },
  });
  test('at the limit accepted, one byte over refused; junk is not base64', () => {
    checkSize.run(ctxFor(Buffer.alloc(1000, 60).toString('base64'), 1000));
    assert.throws(() => checkSize.run(ctxFor(Buffer.alloc(1001, 60).toString('base64'), 1000)), {
      code: 'saml.response_too_large',
    });
    assert.throws(() => checkSize.run(ctxFor('x'.repeat(2001), 1000)), { code: 'saml.response_too_large' });
    assert.throws(() => checkSize.run(ctxFor('PHNhbWw+*?', 1000)), { code: 'saml.encoding_invalid' });
    assert.throws(() => checkSize.run(ctxFor('  ', 1000)), { code: 'saml.encoding_invalid' });
  });
});

describe('parse_xml', () => {
  const parse = (xml: string | Buffer) => {
    const ctx: SamlValidation = { samlResponse: '', env: testEnv([], NOW), bytes: Buffer.from(xml) };
    parseResponse.run(ctx);
    return ctx;
  };
  test('a DOCTYPE (any case) or an entity declaration is refused before parsing', () => {
    assert.throws(() => parse('<!DOCTYPE r><r/>'), { code: 'saml.doctype_refused' });
    assert.throws(() => parse('<!doctype r><r/>'), { code: 'saml.doctype_refused' });
    assert.throws(() => parse('<r><!ENTITY x "y"></r>'), { code: 'saml.doctype_refused' });
  });
  test('malformed XML, unbound prefixes, another encoding, bytes that are not UTF-8', () => {
    assert.throws(() => parse('<r><a></r>'), { code: 'saml.xml_malformed' });
    assert.throws(() => parse('<x:r/>'), { code: 'saml.xml_malformed' });
    assert.throws(() => parse('<?xml version="1.0" encoding="UTF-16"?><r/>'), {
      code: 'saml.encoding_invalid',
    });
    assert.throws(() => parse(Buffer.from([0x3c, 0x72, 0xff, 0x2f, 0x3e])), {
      code: 'saml.encoding_invalid',
    });
    assert.equal(parse('<?xml version="1.0" encoding="utf-8"?><r/>').root?.localName, 'r');
  });
});

describe('check_structure', () => {
  test('comments and processing instructions anywhere in the message are refused', async () => {
    await refusedBy(
      'check_structure',
      xmlOf().replace('<saml:Conditions', '<!-- x --><saml:Conditions'),
      'saml.comment_refused',
    );
    await refusedBy(
      'check_structure',
      xmlOf().replace('<samlp:Status>', '<?pi x?><samlp:Status>'),
      'saml.comment_refused',
    );
  });
  test('duplicate IDs, a signature elsewhere, two signatures on one element', async () => {
    const signed = xmlOf();
    const assertionId = /<saml:Assertion [^>]*ID="([^"]+)"/.exec(signed)![1]!;
    await refusedBy(
      'check_structure',
      signed.replace('<samlp:Status>', `<samlp:Extensions ID="${assertionId}"/><samlp:Status>`),
      'saml.wrapping_detected',
    );
    const sig = /<ds:Signature[\s\S]*<\/ds:Signature>/.exec(signed)![0];
    await refusedBy(
      'check_structure',
      signed.replace('<samlp:Status>', `<samlp:Extensions>${sig}</samlp:Extensions><samlp:Status>`),
      'saml.wrapping_detected',
    );
    await refusedBy('check_structure', signed.replace(sig, sig + sig), 'saml.wrapping_detected');
  });
  test('the envelope names the parts found', async () => {
    const ctx = await upTo('check_structure', xmlOf({ sign: 'both' }));
    const note = stepNamed('check_structure').run(ctx);
    assert.equal(note, 'assertion, response signature, assertion signature');
  });
});

describe('choose_idp', () => {
  test("the Response's Issuer, else the Assertion's; none or an unknown one refused", async () => {
    const ctx = await upTo('choose_idp', xmlOf({ responseIssuer: null }));
    await stepNamed('choose_idp').run(ctx);
    assert.equal(ctx.idp?.entityId, idp.entityId);
    await refusedBy(
      'choose_idp',
      xmlOf({ responseIssuer: 'https://unknown.example.org' }),
      'saml.issuer_unknown',
    );
    await refusedBy(
      'choose_idp',
      xmlOf({ responseIssuer: null, assertionIssuer: '' }),
      'saml.issuer_unknown',
    );
  });
});

describe('verify_*_signature', () => {
  test('a reference to another element than the signed one is wrapping', async () => {
    const xml = xmlOf({ sign: 'both' });
    const responseId = /<samlp:Response [^>]*ID="([^"]+)"/.exec(xml)![1]!;
    const assertionId = /<saml:Assertion [^>]*ID="([^"]+)"/.exec(xml)![1]!;
    // The Response's signature made to point at the assertion.
    const moved = xml.replace(`URI="#${responseId}"`, `URI="#${assertionId}"`);
    await refusedBy('verify_response_signature', moved, 'saml.wrapping_detected', [
      trusted(idp, { requireSigned: 'both' }),
    ]);
  });
  test('inclusive canonicalization, HMAC and unknown algorithms are refused', async () => {
    const xml = xmlOf();
    await refusedBy(
      'verify_assertion_signature',
      xml.replace(
        /<ds:Transform Algorithm="http:\/\/www.w3.org\/2001\/10\/xml-exc-c14n#"\/>/,
        '<ds:Transform Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315"/>',
      ),
      'saml.algorithm_refused',
    );
    await refusedBy(
      'verify_assertion_signature',
      xml.replace('xmldsig-more#rsa-sha256', '../2000/09/xmldsig#hmac-sha1'),
      'saml.algorithm_refused',
    );
  });
  test('the signature step reads only the signed reference: the evil copy of XSW8 never comes out', async () => {
    // Without check_structure (built by hand): the step is given the evil assertion that holds the signature.
    const wrapped = applyXsw(xmlOf(), 'XSW8');
    const ctx = await upTo('check_structure', wrapped);
    const root = ctx.root!;
    const evil = child(root, NS.saml, 'Assertion')!;
    const signature = child(evil, NS.ds, 'Signature')!;
    ctx.envelope = { response: root, assertion: evil, assertionSignature: signature };
    ctx.idp = trusted(idp);
    await stepNamed('decrypt_assertion').run(ctx);
    await assert.rejects(
      async () => verifyAssertionSignature.run(ctx),
      (e: { code?: string }) => e.code === 'saml.signature_invalid',
    );
    assert.equal(ctx.assertion, undefined);
  });
  test('a comment in the NameID is not in the signed content: the whole NameID is read, never a cut one', async () => {
    const xml = xmlOf({ nameId: 'user@example.org.evil.com' }).replace(
      'user@example.org.evil.com',
      'user@example.org<!---->.evil.com',
    );
    const ctx = await upTo('check_structure', xml);
    const root = ctx.root!;
    const assertion = child(root, NS.saml, 'Assertion')!;
    ctx.envelope = { response: root, assertion, assertionSignature: child(assertion, NS.ds, 'Signature') };
    ctx.idp = trusted(idp);
    await stepNamed('decrypt_assertion').run(ctx);
    await verifyAssertionSignature.run(ctx);
    const nameId = path(ctx.assertion, [NS.saml, 'Subject'], [NS.saml, 'NameID'])!;
    assert.equal(text(nameId), 'user@example.org.evil.com');
    assert.equal(nameId.childNodes.length, 1, 'one text node: the comment is not there');
    assert.ok(!text(nameId).includes(EVIL_NAME_ID));
  });
});

describe('check_subject_confirmation and extract_assertion', () => {
  test('the first bearer confirmation that passes is used', async () => {
    const xml = xmlOf({ sign: 'none' }).replace(
      '<saml:SubjectConfirmation ',
      '<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:holder-of-key"/><saml:SubjectConfirmation ',
    );
    const ctx = await upTo('verify_assertion_signature', xml);
    ctx.assertion = ctx.source!.target; // the step alone: the signature steps are not what is tested here
    await checkSubjectConfirmation.run(ctx);
    assert.equal(ctx.inResponseTo, '_r');
    const bad = xmlOf({ sign: 'none' }).replace('cm:bearer', 'cm:sender-vouches');
    const ctx2 = await upTo('verify_assertion_signature', bad);
    ctx2.assertion = ctx2.source!.target;
    assert.throws(() => checkSubjectConfirmation.run(ctx2), { code: 'saml.subject_confirmation_invalid' });
  });
  test('attributes with several values; an encrypted NameID is refused', async () => {
    const ctx = await upTo(
      'extract_assertion',
      xmlOf({ attributes: { memberOf: ['a', 'b'], mail: ['c@example.org'] } }),
    );
    extractAssertion.run(ctx);
    assert.deepEqual(ctx.result?.attributes, { memberOf: ['a', 'b'], mail: ['c@example.org'] });
    const enc = xmlOf({ sign: 'none' }).replace(
      /<saml:NameID[^>]*>[^<]*<\/saml:NameID>/,
      '<saml:EncryptedID/>',
    );
    const ctx2 = await upTo('verify_assertion_signature', enc);
    ctx2.assertion = ctx2.source!.target;
    ctx2.notOnOrAfter = NOW;
    ctx2.idp = trusted(idp);
    ctx2.request = { id: '_r', login: 'l', oauthTransactionId: 'o', idpEntityId: null };
    assert.throws(() => extractAssertion.run(ctx2), { code: 'saml.name_id_missing' });
  });
});

describe('check_status', () => {
  test('the second-level status code is named', async () => {
    const xml = xmlOf({ status: 'urn:oasis:names:tc:SAML:2.0:status:Responder' }).replace(
      '"urn:oasis:names:tc:SAML:2.0:status:Responder"/>',
      '"urn:oasis:names:tc:SAML:2.0:status:Responder"><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:AuthnFailed"/></samlp:StatusCode>',
    );
    const ctx = await upTo('check_status', xml);
    assert.throws(
      () => stepNamed('check_status').run(ctx),
      (e: Error & { code?: string }) =>
        e.code === 'saml.status_not_success' && /Responder\/AuthnFailed/.test(e.message),
    );
  });
});

describe('RSA-OAEP decoding', () => {
  test('the decoder for mixed hashes agrees with Node for matching ones, and fails alike on any damage', async () => {
    const { keyPem, certPem } = await keyPair('sp.example.org');
    const key = createPrivateKey(keyPem);
    const pub = createPublicKey(certPem);
    const secret = randomBytes(32);
    for (const hash of ['sha1', 'sha256'] as const) {
      const c = publicEncrypt(
        { key: pub, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: hash },
        secret,
      );
      assert.deepEqual(oaepDecrypt(key, c, hash, hash, undefined), secret);
      const damaged = Buffer.from(c);
      damaged[10]! ^= 1;
      assert.equal(oaepDecrypt(key, damaged, hash, hash, undefined), undefined);
    }
    const sha256mgf1sha1 = publicEncrypt(
      { key: pub, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' },
      secret,
    );
    assert.equal(
      oaepDecrypt(key, sha256mgf1sha1, 'sha256', 'sha1', undefined),
      undefined,
      'wrong digest: no plaintext',
    );
  });
});
