/**
 * The streaming verifier: signed aggregates that xmlsec1 verifies are accepted (variations of
 * namespaces, comments, whitespace, algorithms, references, inclusive prefixes), whatever the
 * chunking; what it reads of the identity providers; and every refusal, with its code.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { MeridianError } from '../../kernel/errors/meridian-error.ts';
import {
  aggregateXml,
  entityCertificates,
  entityIdOf,
  makeSigningKey,
  RANDS,
  REGISTRAR,
  SIRTFI,
  type SigningKey,
  type SignOptions,
  signMetadata,
} from '../test-aggregate.ts';
import type { IdpRecord } from './idp-record.ts';
import { MetadataVerifier, type VerifiedMetadata } from './metadata-verifier.ts';

const DAY = 86_400_000;
const inDays = (d: number) => new Date(Date.now() + d * DAY).toISOString();

let key: SigningKey;
let ecKey: SigningKey;
let otherKey: SigningKey;
let certs: string[];
let dir: string;

function verify(
  xml: string | Buffer,
  o: { key?: SigningKey; chunk?: number; maxValidityDays?: number } = {},
): { meta: VerifiedMetadata; idps: IdpRecord[] } {
  const idps: IdpRecord[] = [];
  const v = new MetadataVerifier({
    keys: [createPublicKey((o.key ?? key).certPem)],
    now: Date.now(),
    maxValidityMs: (o.maxValidityDays ?? 30) * DAY,
    root: 'EntitiesDescriptor',
    onIdp: (r) => idps.push(r),
  });
  const bytes = Buffer.isBuffer(xml) ? xml : Buffer.from(xml);
  const step = o.chunk ?? bytes.length;
  for (let i = 0; i < bytes.length; i += step) v.write(bytes.subarray(i, i + step));
  return { meta: v.finish(), idps };
}

const refused = (fn: () => unknown, code: string, message?: RegExp) =>
  assert.throws(fn, (err: MeridianError) => {
    assert.equal(err.code, code, err.message);
    if (message) assert.match(err.message, message);
    return true;
  });

function xmlsec1(
  xml: string,
  signer: SigningKey,
  idAttr = 'EntitiesDescriptor',
): { ok: boolean; out: string } {
  const file = join(dir, `doc-${Math.random().toString(36).slice(2)}.xml`);
  const cert = join(dir, `cert-${Math.random().toString(36).slice(2)}.pem`);
  writeFileSync(file, xml);
  writeFileSync(cert, signer.certPem);
  const r = spawnSync(
    'xmlsec1',
    [
      '--verify',
      '--pubkey-cert-pem',
      cert,
      '--id-attr:ID',
      `urn:oasis:names:tc:SAML:2.0:metadata:${idAttr}`,
      file,
    ],
    { encoding: 'utf8' },
  );
  if (r.error) throw new Error(`xmlsec1 is needed (apt-get install xmlsec1): ${r.error.message}`);
  return { ok: r.status === 0, out: `${r.stdout}${r.stderr}` };
}

const base = (extra: Partial<Parameters<typeof aggregateXml>[0]> = {}) =>
  aggregateXml({ entities: 8, validUntil: inDays(5), cacheDuration: 'PT6H', certificates: certs, ...extra });

before(async () => {
  [key, ecKey, otherKey, certs] = await Promise.all([
    makeSigningKey('RSA'),
    makeSigningKey('EC'),
    makeSigningKey('RSA', 'Someone Else'),
    entityCertificates(3),
  ]);
  dir = mkdtempSync(join(tmpdir(), 'meridian-fed-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('signed aggregates that xmlsec1 verifies are accepted', () => {
  const variants: [string, () => string, SignOptions & { ec?: boolean }][] = [
    ['rsa-sha256, reference to the ID', () => base(), {}],
    ['reference ""', () => base(), { referenceUri: '' }],
    [
      'ecdsa-sha384, digest sha512',
      () => base(),
      { ec: true, signatureAlgorithm: 'ecdsa-sha384', digestAlgorithm: 'sha512' },
    ],
    [
      'rsa-sha512, digest sha384',
      () => base(),
      { signatureAlgorithm: 'rsa-sha512', digestAlgorithm: 'sha384' },
    ],
    ['inclusive prefixes', () => base(), { inclusivePrefixes: ['mdui', 'xsi'] }],
    [
      'WithComments transforms, comments everywhere',
      () =>
        base({ head: '\n<!-- a comment -->\n\t<!--x-->' }).replace(
          /<md:Organization>/g,
          '<!-- org --><md:Organization>',
        ),
      { withComments: true },
    ],
    [
      'whitespace, CRLF line ends, character references',
      () =>
        base({ head: '\r\n   \r\n' })
          .replace(/\n/g, '\r\n')
          .replace('University 3 &amp; Partners', 'University&#32;3&#x20;&amp;&#13;Partners'),
      {},
    ],
    [
      'a processing instruction before the root (reference "")',
      () => base().replace('?>\n', '?>\n<?meta generated?>\n'),
      { referenceUri: '' },
    ],
    ['only service providers', () => base({ spEvery: 1 }), {}],
    [
      'an Extensions element first, default namespace',
      () =>
        base({
          head: `<Extensions xmlns="urn:oasis:names:tc:SAML:2.0:metadata"><mdrpi:PublicationInfo publisher="https://fed.example" creationInstant="2025-01-01T00:00:00Z"/></Extensions>`,
        }),
      {},
    ],
  ];
  for (const [name, make, opts] of variants)
    test(name, () => {
      const signer = opts.ec ? ecKey : key;
      const xml = signMetadata(make(), signer, opts);
      const x = xmlsec1(xml, signer);
      assert.ok(x.ok, `xmlsec1 refused it: ${x.out}`);
      const { meta } = verify(xml, { key: signer });
      assert.equal(meta.entities, 8);
      // Whatever the chunking (cut inside multi-byte characters too), the same answer.
      assert.deepEqual(verify(xml, { key: signer, chunk: 7 }).meta, meta);
      assert.deepEqual(verify(xml, { key: signer, chunk: 4096 }).meta, meta);
    });
});

describe('what is read of the identity providers', () => {
  test('identity providers only, every field', () => {
    const { meta, idps } = verify(signMetadata(base(), key));
    assert.equal(meta.entities, 8);
    assert.equal(meta.idps, 6);
    assert.equal(meta.cacheDurationMs, 6 * 3_600_000);
    assert.equal(meta.id, '_aggregate');
    assert.deepEqual(
      idps.map((r) => r.entityId),
      [1, 2, 3, 5, 6, 7].map(entityIdOf),
    );
    const [one, , three] = idps;
    // Entity 3 is in the default-namespace style, 1 in md: style.
    for (const [r, n] of [
      [one!, 1],
      [three!, 3],
    ] as const) {
      assert.deepEqual(r.displayNames, {
        en: `University ${n} & Partners`,
        de: `Universität ${n} – Zürich`,
        fr: `Université n° ${n}`,
        ja: `大学 ${n}`,
      });
      const d = `uni${n}.example.edu`;
      assert.deepEqual(r.logos, [
        { url: `https://${d}/favicon.ico`, width: 16, height: 16, lang: null },
        { url: `https://${d}/logo-en.png`, width: 200, height: 60, lang: 'en' },
      ]);
      assert.deepEqual(r.singleSignOnServices, [
        {
          binding: 'urn:mace:shibboleth:1.0:profiles:AuthnRequest',
          location: `https://${d}/idp/profile/Shibboleth/SSO`,
        },
        {
          binding: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST',
          location: `https://${d}/idp/profile/SAML2/POST/SSO`,
        },
        {
          binding: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect',
          location: `https://${d}/idp/profile/SAML2/Redirect/SSO?x=1&y="2"`,
        },
      ]);
      assert.equal(r.singleLogoutServices.length, 2);
      assert.equal(
        r.singleLogoutServices[1]!.responseLocation,
        `https://${d}/idp/profile/SAML2/POST/SLO/response`,
      );
      assert.deepEqual(r.signingCertificates, [certs[n % 3]]);
      assert.deepEqual(r.encryptionCertificates, [certs[(n + 1) % 3]]);
      assert.deepEqual(r.scopes, [
        { value: d, regexp: false },
        { value: `^.+\\.${d.replace(/\./g, '\\.')}$`, regexp: true },
      ]);
      assert.deepEqual(r.entityCategorySupport, [RANDS]);
      assert.deepEqual(
        r.entityAttributes.map((a) => [a.name, a.values]),
        [
          ['http://macedir.org/entity-category-support', [RANDS]],
          ['urn:oasis:names:tc:SAML:attribute:assurance-certification', [SIRTFI]],
        ],
      );
      assert.equal(r.registrationAuthority, REGISTRAR);
      assert.deepEqual(r.domainHints, [d, `mail.${d}`]);
    }
  });
});

describe('refused, with the cause named', () => {
  test('altered content: digest_mismatch (the signature itself is fine)', () => {
    const xml = signMetadata(base(), key);
    const altered = xml.replace(
      'https://uni5.example.edu/idp/profile/SAML2/POST/SSO',
      'https://evil.example/SSO',
    );
    assert.ok(!xmlsec1(altered, key).ok);
    refused(() => verify(altered), 'federation.digest_mismatch');
    // Whitespace is content too.
    refused(
      () => verify(xml.replace('</md:EntitiesDescriptor>', ' </md:EntitiesDescriptor>')),
      'federation.digest_mismatch',
    );
  });

  test('a broken signature value, another signer, a key carried in KeyInfo: signature_invalid', () => {
    const xml = signMetadata(base(), key);
    const broken = xml.replace(
      /<ds:SignatureValue>(.)/,
      (_m, c) => `<ds:SignatureValue>${c === 'A' ? 'B' : 'A'}`,
    );
    refused(() => verify(broken), 'federation.signature_invalid');
    refused(() => verify(signMetadata(base(), otherKey)), 'federation.signature_invalid');
    // Signed by someone else who put their own certificate in KeyInfo: never used.
    const attacker = signMetadata(base(), otherKey, { keyInfoCertPem: otherKey.certPem });
    assert.ok(xmlsec1(attacker, otherKey).ok);
    refused(() => verify(attacker), 'federation.signature_invalid');
    // The configured key verifies even when KeyInfo names another certificate.
    assert.equal(verify(signMetadata(base(), key, { keyInfoCertPem: otherKey.certPem })).meta.entities, 8);
    // An altered SignedInfo (the digest value) breaks the signature, not the digest.
    const digestSwapped = xml.replace(
      /<ds:DigestValue>(.)/,
      (_m, c) => `<ds:DigestValue>${c === 'A' ? 'B' : 'A'}`,
    );
    refused(() => verify(digestSwapped), 'federation.signature_invalid');
  });

  test('validUntil: missing, not a date, past, too far', () => {
    const sign = (xml: string) => signMetadata(xml, key);
    refused(() => verify(sign(base().replace(/ validUntil="[^"]*"/, ''))), 'federation.valid_until_missing');
    refused(() => verify(sign(base({ validUntil: 'soon' }))), 'federation.valid_until_missing', /not a date/);
    refused(() => verify(sign(base({ validUntil: inDays(-1) }))), 'federation.valid_until_past');
    refused(() => verify(sign(base({ validUntil: inDays(60) }))), 'federation.validity_too_long');
    assert.equal(verify(sign(base({ validUntil: inDays(60) })), { maxValidityDays: 90 }).meta.entities, 8);
  });

  test('truncated anywhere: truncated (or not well-formed where the cut breaks a tag)', () => {
    const xml = Buffer.from(signMetadata(base(), key));
    for (const at of [10, 500, 3000, Math.floor(xml.length / 2), xml.length - 30, xml.length - 3]) {
      assert.throws(
        () => verify(xml.subarray(0, at)),
        (err: MeridianError) => ['federation.truncated', 'federation.not_well_formed'].includes(err.code),
      );
    }
    // Cut between elements: named truncated.
    const cut = xml.toString().lastIndexOf('</md:EntityDescriptor>') + '</md:EntityDescriptor>'.length;
    refused(() => verify(xml.subarray(0, cut)), 'federation.truncated', /still open/);
  });

  test('a DOCTYPE, another root, an unsigned document, a reference elsewhere, weak algorithms', () => {
    const signed = signMetadata(base(), key);
    refused(
      () => verify(signed.replace('?>\n', '?>\n<!DOCTYPE md:EntitiesDescriptor [<!ENTITY x "y">]>\n')),
      'federation.doctype_refused',
    );
    refused(
      () =>
        verify(
          signMetadata(
            '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x" validUntil="2099-01-01T00:00:00Z"><md:Extensions/></md:EntityDescriptor>',
            key,
          ),
        ),
      'federation.not_a_entities_descriptor',
    );
    refused(() => verify(base()), 'federation.signature_missing');
    refused(
      () => verify(signed.replace('<ds:Reference URI="#_aggregate"', '<ds:Reference URI="#_e2"')),
      'federation.reference_invalid',
    );
    refused(
      () => verify(signed.replace('xmldsig-more#rsa-sha256', 'xmldsig#rsa-sha1')),
      'federation.unsupported_algorithm',
    );
    refused(() => verify('<md:EntitiesDescriptor'), 'federation.truncated');
    refused(
      () => verify(signed.replace('</md:Organization>', '</md:Organisation>')),
      'federation.not_well_formed',
    );
    refused(
      () => verify(Buffer.concat([Buffer.from(signed.slice(0, 3000)), Buffer.from([0xff, 0xfe])])),
      'federation.not_well_formed',
      /UTF-8/,
    );
  });
});
