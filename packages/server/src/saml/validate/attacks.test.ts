/**
 * The whole validation against real responses from a test IdP: valid ones accepted (assertion
 * signed, response signed, both, encrypted), and each attack refused with its own code, at the
 * step named here.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { runPipeline } from '../../kernel/pipeline/pipeline.ts';
import { DIGEST, SIG } from './algorithms.ts';
import type { SamlValidation } from './context.ts';
import { samlResponsePipeline } from './steps.ts';
import {
  base64,
  buildResponse,
  createTestIdp,
  type KeyPair,
  keyPair,
  type ResponseOptions,
  type TestIdp,
  testEnv,
  trusted,
} from './test-idp.ts';
import { applyXsw, EVIL_NAME_ID, type XswVariant } from './test-xsw.ts';
import type { TrustedIdp, ValidationEnv } from './types.ts';

const NOW = Date.parse('2025-06-01T12:00:00Z');
const REQUEST = '_request_1';

let idpA: TestIdp;
let idpB: TestIdp;
let sp: KeyPair;
let attacker: KeyPair;

before(async () => {
  [idpA, idpB, sp, attacker] = await Promise.all([
    createTestIdp('https://idp-a.example.org/idp'),
    createTestIdp('https://idp-b.example.net/idp'),
    keyPair('portal.example.org'),
    keyPair('idp-a.example.org'),
  ]);
});

/** Runs the pipeline on a response; answers the run and its context. */
async function validate(
  xmlOrBase64: string,
  opts: { idps?: TrustedIdp[]; env?: ValidationEnv; raw?: boolean } = {},
) {
  const env = opts.env ?? freshEnv(opts.idps ?? [trusted(idpA)]);
  const ctx: SamlValidation = { samlResponse: opts.raw ? xmlOrBase64 : base64(xmlOrBase64), env };
  const run = await runPipeline(samlResponsePipeline, ctx, { subject: 'test' });
  const failed = run.steps.find((s) => s.outcome === 'failed');
  return { run, ctx, code: run.code, step: failed?.name, result: ctx.result };
}

function freshEnv(idps: TrustedIdp[]) {
  const env = testEnv(idps, NOW);
  env.stores.sent(REQUEST, NOW - 30_000);
  return env;
}

const response = (o: Partial<ResponseOptions> = {}) =>
  buildResponse({ idp: idpA, now: NOW, inResponseTo: REQUEST, ...o });

async function refused(xml: string, code: string, step: string, idps?: TrustedIdp[]) {
  const r = await validate(xml, { idps });
  assert.equal(r.run.outcome, 'failed', `expected ${code}, but it was accepted`);
  assert.deepEqual([r.code, r.step], [code, step]);
  assert.equal(r.result, undefined);
  return r;
}

describe('valid responses are accepted', () => {
  for (const sign of ['assertion', 'response', 'both'] as const)
    test(`signed: ${sign} (policy ${sign})`, async () => {
      const r = await validate(response({ sign }), { idps: [trusted(idpA, { requireSigned: sign })] });
      assert.equal(r.run.outcome, 'succeeded', JSON.stringify(r.run.steps));
      assert.deepEqual(r.result, {
        idpEntityId: idpA.entityId,
        nameId: 'alice@example.org',
        nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
        sessionIndex: '_session_1',
        attributes: { mail: ['alice@example.org'], givenName: ['Alice'] },
        notOnOrAfter: NOW + 300_000,
        authnInstant: NOW - 5000,
        inResponseTo: REQUEST,
      });
    });

  test('both signed satisfies the default policy (assertion); every step is in the trace', async () => {
    const r = await validate(response({ sign: 'both' }));
    assert.equal(r.run.outcome, 'succeeded');
    assert.deepEqual(
      r.run.steps.map((s) => s.name),
      samlResponsePipeline.steps.map((s) => s.name),
    );
    assert.ok(!JSON.stringify(r.run.steps).includes('alice'), 'the trace names no user');
  });

  const encryptions = [
    { content: 'aes256-gcm', transport: 'mgf1p-sha1' },
    { content: 'aes128-gcm', transport: 'oaep11-sha256' },
    { content: 'aes128-cbc', transport: 'mgf1p-sha256' },
    { content: 'aes256-cbc', transport: 'mgf1p-sha1', keyOutside: true },
  ] as const;
  for (const e of encryptions)
    test(`encrypted (${e.content}, ${e.transport}${'keyOutside' in e ? ', EncryptedKey beside EncryptedData' : ''}), assertion signed inside`, async () => {
      const r = await validate(response({ encrypt: { certPem: sp.certPem, ...e } }), {
        idps: [trusted(idpA, { decryptionKeys: [sp.keyPem] })],
      });
      assert.equal(r.run.outcome, 'succeeded', JSON.stringify(r.run.steps));
      assert.equal(r.result?.nameId, 'alice@example.org');
    });

  test('encrypted, only the Response signed, policy response: the signature covers the ciphertext', async () => {
    const r = await validate(
      response({
        sign: 'response',
        encrypt: { certPem: sp.certPem, content: 'aes256-gcm', transport: 'mgf1p-sha1' },
      }),
      { idps: [trusted(idpA, { requireSigned: 'response', decryptionKeys: [sp.keyPem] })] },
    );
    assert.equal(r.run.outcome, 'succeeded', JSON.stringify(r.run.steps));
    assert.equal(r.result?.nameId, 'alice@example.org');
  });

  test('during an SP key rollover, either key decrypts', async () => {
    const next = await keyPair('portal.example.org');
    const r = await validate(
      response({ encrypt: { certPem: next.certPem, content: 'aes256-gcm', transport: 'mgf1p-sha1' } }),
      {
        idps: [trusted(idpA, { decryptionKeys: [sp.keyPem, next.keyPem] })],
      },
    );
    assert.equal(r.run.outcome, 'succeeded', JSON.stringify(r.run.steps));
  });

  test('an IdP with two signing certificates (its rollover): the second verifies', async () => {
    const r = await validate(response(), {
      idps: [trusted(idpA, { signingCertificates: [attacker.certPem, idpA.certPem] })],
    });
    assert.equal(r.run.outcome, 'succeeded');
    assert.match(r.run.steps.find((s) => s.name === 'verify_assertion_signature')!.detail, /certificate 2/);
  });

  test('RSA-SHA512 and ECDSA-SHA256 signatures; clock skew within bounds', async () => {
    assert.equal(
      (await validate(response({ signatureAlgorithm: SIG.rsaSha512, digestAlgorithm: DIGEST.sha512 }))).run
        .outcome,
      'succeeded',
    );
    const ec = await createTestIdp('https://idp-ec.example.org/idp', 'EC');
    const r = await validate(
      buildResponse({ idp: ec, now: NOW, inResponseTo: REQUEST, signatureAlgorithm: SIG.ecdsaSha256 }),
      {
        idps: [trusted(ec)],
      },
    );
    assert.equal(r.run.outcome, 'succeeded', JSON.stringify(r.run.steps));
    const skewed = await validate(response({ notBeforeOffset: 120 }));
    assert.equal(skewed.run.outcome, 'succeeded');
  });

  test('SHA-1 is accepted for a login configured for it', async () => {
    const r = await validate(response({ signatureAlgorithm: SIG.rsaSha1, digestAlgorithm: DIGEST.sha1 }), {
      idps: [trusted(idpA, { allowSha1: true })],
    });
    assert.equal(r.run.outcome, 'succeeded', JSON.stringify(r.run.steps));
  });
});

describe('XML signature wrapping (SAML Raider XSW1–XSW8) is refused', () => {
  const variants: XswVariant[] = ['XSW1', 'XSW2', 'XSW3', 'XSW4', 'XSW5', 'XSW6', 'XSW7', 'XSW8'];
  for (const v of variants)
    test(v, async () => {
      const responseLevel = v === 'XSW1' || v === 'XSW2';
      const signed = response({ sign: responseLevel ? 'response' : 'assertion' });
      const idps = [trusted(idpA, { requireSigned: responseLevel ? 'response' : 'assertion' })];
      assert.equal((await validate(signed, { idps })).run.outcome, 'succeeded', 'the original is valid');
      const wrapped = applyXsw(signed, v);
      assert.ok(wrapped.includes(EVIL_NAME_ID));
      await refused(wrapped, 'saml.wrapping_detected', 'check_structure', idps);
    });
});

describe('other attacks are refused, each with its own code', () => {
  test('a removed signature', async () => {
    const xml = response().replace(/<ds:Signature[\s\S]*<\/ds:Signature>/, '');
    await refused(xml, 'saml.signature_missing', 'verify_assertion_signature');
    const responseOnly = response({ sign: 'response' }).replace(/<ds:Signature[\s\S]*<\/ds:Signature>/, '');
    await refused(responseOnly, 'saml.signature_missing', 'verify_response_signature', [
      trusted(idpA, { requireSigned: 'response' }),
    ]);
  });

  test('a response signed only on the Response when the policy wants the assertion signed', async () => {
    await refused(response({ sign: 'response' }), 'saml.signature_missing', 'verify_assertion_signature');
  });

  test('changed signed content (a NameID edited after signing)', async () => {
    const xml = response().replace('>alice@example.org</saml:NameID>', `>${EVIL_NAME_ID}</saml:NameID>`);
    await refused(xml, 'saml.signature_invalid', 'verify_assertion_signature');
  });

  test('a comment inserted into the NameID (user@example.org<!---->.evil.com)', async () => {
    const xml = response({ nameId: 'user@example.org.evil.com' }).replace(
      'user@example.org.evil.com',
      'user@example.org<!---->.evil.com',
    );
    await refused(xml, 'saml.comment_refused', 'check_structure');
  });

  test("a message signed with a key carried in its own KeyInfo (an attacker's self-signed certificate)", async () => {
    const xml = response({ signWith: attacker, nameId: EVIL_NAME_ID });
    assert.ok(xml.includes(attacker.certPem.split('\n')[1]!), 'the KeyInfo carries the attacker certificate');
    const r = await refused(xml, 'saml.signature_key_untrusted', 'verify_assertion_signature');
    assert.match(String((r.run.error as { detail?: string }).detail), /KeyInfo carries/);
  });

  test("an assertion naming IdP A signed with IdP B's key (both trusted: one federation)", async () => {
    const federation = [trusted(idpA), trusted(idpB)];
    // Issuer A throughout: A's keys do not verify B's signature.
    await refused(
      response({ signWith: idpB }),
      'saml.signature_key_untrusted',
      'verify_assertion_signature',
      federation,
    );
    // B signs as itself on the Response, but its assertion names A.
    const xml = buildResponse({
      idp: idpB,
      now: NOW,
      inResponseTo: REQUEST,
      sign: 'both',
      assertionIssuer: idpA.entityId,
    });
    await refused(xml, 'saml.issuer_mismatch', 'check_issuer', federation);
  });

  test('replay of a response already accepted', async () => {
    const env = freshEnv([trusted(idpA)]);
    const xml = response();
    assert.equal((await validate(xml, { env })).run.outcome, 'succeeded');
    const again = await validate(xml, { env });
    assert.deepEqual([again.code, again.step], ['saml.replayed', 'check_replay']);
  });

  test('wrong audience, destination, recipient', async () => {
    await refused(
      response({ audience: 'https://other.example.org/sp' }),
      'saml.audience_mismatch',
      'check_conditions',
    );
    await refused(
      response({ destination: 'https://evil.example.org/acs' }),
      'saml.destination_mismatch',
      'check_destination',
    );
    await refused(
      response({ sign: 'response', destination: null }),
      'saml.destination_mismatch',
      'check_destination',
      [trusted(idpA, { requireSigned: 'response' })],
    );
    await refused(
      response({ recipient: 'https://evil.example.org/acs' }),
      'saml.recipient_mismatch',
      'check_subject_confirmation',
    );
  });

  test('expired, and not yet valid (beyond the clock skew)', async () => {
    await refused(response({ notOnOrAfterOffset: -181 }), 'saml.expired', 'check_conditions');
    await refused(response({ notBeforeOffset: 181 }), 'saml.not_yet_valid', 'check_conditions');
  });

  test('unknown, missing and reused InResponseTo', async () => {
    await refused(
      response({ inResponseTo: '_never_sent' }),
      'saml.in_response_to_unknown',
      'check_in_response_to',
    );
    await refused(response({ inResponseTo: null }), 'saml.in_response_to_missing', 'check_in_response_to');
    await refused(
      response({ assertionInResponseTo: '_never_sent' }),
      'saml.in_response_to_unknown',
      'check_in_response_to',
    );
    const env = freshEnv([trusted(idpA)]);
    assert.equal((await validate(response(), { env })).run.outcome, 'succeeded');
    const second = await validate(response(), { env });
    assert.deepEqual([second.code, second.step], ['saml.in_response_to_reused', 'check_in_response_to']);
    const expiredEnv = testEnv([trusted(idpA)], NOW);
    expiredEnv.stores.sent(REQUEST, NOW - 700_000);
    const late = await validate(response(), { env: expiredEnv });
    assert.deepEqual([late.code, late.step], ['saml.in_response_to_unknown', 'check_in_response_to']);
  });

  test('a request sent to IdP B answered by IdP A', async () => {
    const env = testEnv([trusted(idpA)], NOW);
    env.stores.sent(REQUEST, NOW, idpB.entityId);
    const r = await validate(response(), { env });
    assert.deepEqual([r.code, r.step], ['saml.in_response_to_unknown', 'check_in_response_to']);
  });

  test('SHA-1 when the login does not allow it (signature method, or digest alone)', async () => {
    await refused(
      response({ signatureAlgorithm: SIG.rsaSha1, digestAlgorithm: DIGEST.sha1 }),
      'saml.algorithm_refused',
      'verify_assertion_signature',
    );
    await refused(
      response({ digestAlgorithm: DIGEST.sha1 }),
      'saml.algorithm_refused',
      'verify_assertion_signature',
    );
  });

  test('a DOCTYPE with entities (billion laughs) and an external entity', async () => {
    const lol = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>`;
    await refused(
      `${lol}${response().replace('alice@example.org</saml:NameID>', '&lol3;</saml:NameID>')}`,
      'saml.doctype_refused',
      'parse_xml',
    );
    const xxe = '<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>';
    await refused(`${xxe}${response()}`, 'saml.doctype_refused', 'parse_xml');
  });

  test('an oversized message, refused before decoding', async () => {
    const big = response({
      attributes: { memberOf: Array.from({ length: 9000 }, (_, i) => `group-${i}-${'x'.repeat(20)}`) },
    });
    assert.ok(big.length > 256 * 1024);
    await refused(big, 'saml.response_too_large', 'check_size');
    const huge = await validate('A'.repeat(600 * 1024), { raw: true });
    assert.deepEqual([huge.code, huge.step], ['saml.response_too_large', 'check_size']);
  });

  test('RSA 1.5 key transport, and a content cipher outside the allowlist', async () => {
    const idps = [trusted(idpA, { decryptionKeys: [sp.keyPem] })];
    await refused(
      response({ encrypt: { certPem: sp.certPem, content: 'aes256-gcm', transport: 'rsa-1_5' } }),
      'saml.encryption_rsa15_refused',
      'decrypt_assertion',
      idps,
    );
    await refused(
      response({ encrypt: { certPem: sp.certPem, content: 'tripledes-cbc', transport: 'mgf1p-sha1' } }),
      'saml.encryption_algorithm_refused',
      'decrypt_assertion',
      idps,
    );
  });

  test('an encrypted assertion for another SP key, and an encrypted unsigned assertion', async () => {
    const other = await keyPair('other.example.org');
    await refused(
      response({ encrypt: { certPem: other.certPem, content: 'aes256-gcm', transport: 'mgf1p-sha1' } }),
      'saml.decryption_failed',
      'decrypt_assertion',
      [trusted(idpA, { decryptionKeys: [sp.keyPem] })],
    );
    // Anyone can encrypt to the SP's public key: the decrypted assertion must itself be signed.
    await refused(
      response({
        sign: 'none',
        nameId: EVIL_NAME_ID,
        encrypt: { certPem: sp.certPem, content: 'aes256-gcm', transport: 'mgf1p-sha1' },
      }),
      'saml.signature_missing',
      'verify_assertion_signature',
      [trusted(idpA, { decryptionKeys: [sp.keyPem] })],
    );
  });

  test('an unknown issuer, and an IdP error status', async () => {
    await refused(
      buildResponse({ idp: idpB, now: NOW, inResponseTo: REQUEST }),
      'saml.issuer_unknown',
      'choose_idp',
    );
    await refused(
      response({ status: 'urn:oasis:names:tc:SAML:2.0:status:Responder' }),
      'saml.status_not_success',
      'check_status',
    );
  });

  test('not SAML, not base64', async () => {
    await refused('<html><body>hi</body></html>', 'saml.xml_malformed', 'check_structure');
    await refused(
      '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol">',
      'saml.xml_malformed',
      'parse_xml',
    );
    const notBase64 = await validate('<samlp:Response/>', { raw: true });
    assert.deepEqual([notBase64.code, notBase64.step], ['saml.encoding_invalid', 'check_size']);
  });
});
