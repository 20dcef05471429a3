/**
 * An independent scanner's verdict on the portal's TLS: testssl.sh (Debian package) finds no
 * SSLv2/3, TLS 1.0/1.1, NULL, anonymous, EXPORT, LOW (DES, RC2, RC4) or 3DES suites, and HSTS
 * when it is enabled.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { startTestPortal, type TestPortal } from '../../test/portal.ts';
import { tlsContextOf } from './test-context.ts';
import { updateTlsSettings } from './tls-settings.ts';

const run = promisify(execFile);

describe('testssl.sh against the portal', () => {
  let portal: TestPortal;
  let findings: Map<string, { severity: string; finding: string }>;

  before(async () => {
    portal = await startTestPortal();
    await updateTlsSettings(tlsContextOf(portal), { HSTSEnabled: true });
    const out = join(portal.home, 'testssl.json');
    await run(
      'testssl',
      [
        '--quiet',
        '--color',
        '0',
        '--warnings',
        'off',
        '-p',
        '-s',
        '-h',
        '--jsonfile',
        out,
        `127.0.0.1:${portal.httpsPort}`,
      ],
      {
        timeout: 240_000,
        maxBuffer: 16 * 1024 * 1024,
      },
    ).catch((err: { code?: number }) => {
      // testssl.sh exits non-zero when it has findings of any severity; the JSON is what we judge.
      if (typeof err.code !== 'number') throw err;
    });
    findings = new Map(
      (JSON.parse(readFileSync(out, 'utf8')) as { id: string; severity: string; finding: string }[]).map(
        (f) => [f.id, f],
      ),
    );
  });
  after(() => portal.close());

  test('no SSL 2/3 and no TLS 1.0/1.1; TLS 1.2 and 1.3 offered', () => {
    for (const id of ['SSLv2', 'SSLv3', 'TLS1', 'TLS1_1'])
      assert.equal(findings.get(id)?.finding, 'not offered', id);
    assert.equal(findings.get('TLS1_2')?.finding, 'offered');
    assert.match(findings.get('TLS1_3')?.finding ?? '', /^offered/);
  });

  test('no NULL, anonymous, EXPORT, LOW (DES/RC2/RC4) or 3DES cipher suites', () => {
    for (const id of [
      'cipherlist_NULL',
      'cipherlist_aNULL',
      'cipherlist_EXPORT',
      'cipherlist_LOW',
      'cipherlist_3DES_IDEA',
    ])
      assert.equal(findings.get(id)?.finding, 'not offered', id);
    assert.equal(findings.get('cipherlist_STRONG')?.finding, 'offered');
  });

  test('HSTS is found when enabled', () => {
    // testssl.sh reports an offered HSTS as HSTS_time (and HSTS_subdomains); "HSTS" when absent.
    const hsts = [...findings].filter(([id]) => id.startsWith('HSTS'));
    assert.match(findings.get('HSTS_time')?.finding ?? JSON.stringify(hsts), /31536000/);
    assert.equal(findings.get('HSTS')?.finding, undefined);
  });
});
