import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { describe, test } from 'node:test';
import { generateCertificate } from './generate-certificate.ts';
import { asIssuer, caHierarchy, leafOptions } from './test-helpers.ts';
import { verificationError, verifyChain } from './verify-chain.ts';

const DAY = 86_400_000;

describe('verifyChain (no network)', () => {
  test('path to the anchor, host and key usage; each failure by code', async () => {
    const { root, inter } = await caHierarchy('Verify');
    const leaf = await generateCertificate(
      leafOptions({
        cn: 'gis.verify.test',
        san: ['gis.verify.test'],
        issuer: asIssuer(inter),
        validityDays: 20,
      }),
    );
    const full = [leaf.certPem, inter.certPem];

    const ok = verifyChain({ presented: full, trustAnchors: [root.certPem], host: 'gis.verify.test' });
    assert.equal(ok.code, 'ok');
    assert.equal(ok.path.length, 3);
    assert.match(ok.warnings[0] ?? '', /expires in 1[89] day/);

    // A trusted intermediate ends the path (partial chain), as the outbound client does.
    assert.equal(verifyChain({ presented: [leaf.certPem], trustAnchors: [inter.certPem] }).code, 'ok');
    assert.equal(
      verifyChain({ presented: [leaf.certPem], trustAnchors: [root.certPem] }).code,
      'trust.incomplete_chain',
    );
    assert.equal(
      verifyChain({ presented: full, trustAnchors: [], includePublicRoots: true }).code,
      'trust.unknown_ca',
    );
    assert.equal(
      verifyChain({ presented: full, trustAnchors: [root.certPem], host: 'other.test' }).code,
      'trust.hostname_mismatch',
    );
    assert.equal(
      verifyChain({ presented: full, trustAnchors: [root.certPem], now: Date.now() + 40 * DAY }).code,
      'trust.expired',
    );
    assert.equal(
      verifyChain({ presented: full, trustAnchors: [root.certPem], now: Date.now() - 2 * DAY }).code,
      'trust.not_yet_valid',
    );
    // Every problem at once; trusting the root is offered only when that alone fixes the chain.
    const both = verifyChain({ presented: full, trustAnchors: [], host: 'other.test' });
    assert.deepEqual(
      both.findings.map((f) => f.code),
      ['trust.unknown_ca', 'trust.hostname_mismatch'],
    );
    const selfNamed = verifyChain({ presented: [root.certPem], trustAnchors: [], host: 'other.test' });
    assert.deepEqual(
      selfNamed.findings.map((f) => f.code),
      ['trust.self_signed', 'trust.hostname_mismatch'],
    );
    assert.equal(selfNamed.trustFixes, undefined);
    const bad = verifyChain({ presented: [root.certPem], trustAnchors: [] });
    assert.equal(bad.trustFixes?.fingerprint256, new X509Certificate(root.certPem).fingerprint256);
    assert.equal(bad.code, 'trust.self_signed');
    const err = verificationError(bad);
    assert.equal(err.code, 'trust.self_signed');
    assert.match(err.message, /importRootOrIntermediate/);
  });

  test('a chain whose intermediate was replaced by another CA of the same name → trust.bad_signature', async () => {
    const a = await caHierarchy('Same');
    const b = await caHierarchy('Same');
    const leaf = await generateCertificate(leafOptions({ issuer: asIssuer(a.inter) }));
    const r = verifyChain({ presented: [leaf.certPem, b.inter.certPem], trustAnchors: [a.root.certPem] });
    assert.equal(r.code, 'trust.bad_signature');
  });
});
