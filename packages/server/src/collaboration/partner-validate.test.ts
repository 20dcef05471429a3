/**
 * A partner's certificate changes to one from a CA this portal does not know (two real portals
 * in this process; the host's certificate switched through its own portaladmin API): the
 * guest's sync fails with the diagnosis, whose fix names participants/<host id>/validate;
 * validate answers the diagnosis and the fingerprint to confirm, refuses a wrong fingerprint
 * (nothing trusted), trusts exactly the confirmed certificate, and the next sync completes —
 * no restart.
 */
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { DEFAULT_IDLE_TIMEOUT_MS } from '../kernel/outbound/connection-pool.ts';
import {
  eventually,
  opensslCa,
  opensslServerCert,
  servedCertificate,
  upload,
} from '../pki/routes/test-support.ts';
import { openssl, type TempDir, tempDir } from '../pki/test-helpers.ts';
import { addItem, groupItems, type SyncPartners, share, startSyncPartners, syncNow } from './test-sync.ts';

const PFX_PASSWORD = 'replacement-pfx';

for (const database of ['sqlite', 'postgres'] as const) {
  describe(`a partner's certificate from a new CA is confirmed at participants/<id>/validate (${database})`, () => {
    let p: SyncPartners;
    let dir: TempDir;
    let caPem: string;
    let caFingerprint: string;

    before(async () => {
      dir = tempDir('meridian-partner-ca-');
      caPem = opensslCa(dir, 'Partner Replacement CA');
      caFingerprint = new X509Certificate(caPem).fingerprint256;
      opensslServerCert(dir, 'localhost');
      openssl(
        ['pkcs12', '-export', '-in', 'server.pem', '-inkey', 'server.key', '-certfile', 'ca.pem'].concat([
          '-out',
          'server.pfx',
          '-passout',
          `pass:${PFX_PASSWORD}`,
        ]),
        dir.path,
      );
      p = await startSyncPartners({ database });
    });
    after(async () => {
      await p?.close();
      dir?.remove();
    });

    test('sync fails with the diagnosis; validate confirms the new CA; the next sync completes', async () => {
      const validate = (fields: Record<string, string> = {}) =>
        p.guest.call(p.path(`participants/${p.hostId}/validate`), { token: p.guestToken, ...fields });
      const before = await validate();
      assert.equal(before.status, 'success', JSON.stringify(before));

      // Before the switch (the test's client trusts only the host's first CA): an item to sync.
      const item = await addItem(p.host, p.hostToken, {
        title: 'After the switch',
        type: 'Web Map',
        text: '{}',
      });
      await share(p.host, p.hostToken, item, p.hostGroup);
      const imported = await upload(
        p.host,
        '/portaladmin/security/sslCertificates/importExistingServerCertificate',
        { token: p.hostToken, alias: 'replacement', certPassword: PFX_PASSWORD },
        { name: 'replacement.pfx', data: dir.read('server.pfx') },
      );
      assert.equal(imported.status, 'success', JSON.stringify(imported));
      const switched = await p.host.call('/portaladmin/security/sslCertificates/update', {
        token: p.hostToken,
        webServerCertificateAlias: 'replacement',
      });
      assert.equal(switched.status, 'success', JSON.stringify(switched));
      const port = Number(new URL(p.host.url).port);
      const issuer = new X509Certificate(caPem).subject;
      const served = await eventually(
        10_000,
        () => servedCertificate(port),
        (c) => c.issuer === issuer,
      );
      assert.equal(served.issuer, issuer, 'the host serves the new certificate');
      // The guest's kept-alive connection to the host was verified against the old certificate;
      // once it has been idle past the pool's idle timeout, the next call opens (and checks) a new one.
      await new Promise((r) => setTimeout(r, DEFAULT_IDLE_TIMEOUT_MS + 1_000));

      const failed = await syncNow(p);
      assert.equal(failed.status, 'failed', JSON.stringify(failed));
      const status = await p.guest.call(p.path(`workspaces/${p.workspaceId}/syncStatus`), {
        token: p.guestToken,
        syncId: failed.syncId,
      });
      const [error] = status.status[0].history.errors;
      assert.equal(error.code, 'trust.unknown_ca', JSON.stringify(error));
      assert.equal(error.fingerprintToConfirm, caFingerprint);
      assert.ok(
        error.diagnosis.fix.includes(
          `collaborations/${p.collaborationId}/participants/${p.hostId}/validate with trustPresentedCertificate=${caFingerprint}`,
        ),
        error.diagnosis.fix,
      );
      assert.ok(!error.diagnosis.fix.includes('meridian trust import'), error.diagnosis.fix);

      const seen = await validate();
      assert.equal(seen.status, 'failure', JSON.stringify(seen));
      assert.deepEqual(
        [seen.code, seen.diagnosisCode, seen.fingerprintToConfirm],
        ['collaboration.untrusted_certificate', 'trust.unknown_ca', caFingerprint],
      );
      assert.ok(
        seen.presentedChain.some((c: { sha256Fingerprint: string }) => c.sha256Fingerprint === caFingerprint),
      );

      const aliases = async () => (await p.guest.modules.pki.trust.list()).map((e) => e.alias).sort();
      const trustedBefore = await aliases();
      const leaf = seen.presentedChain.find((c: { isCA: boolean }) => !c.isCA).sha256Fingerprint;
      const wrong = await validate({ trustPresentedCertificate: leaf });
      assert.match(String(wrong.error?.messageCode), /fingerprint_mismatch$/, JSON.stringify(wrong));
      const unknown = await validate({ trustPresentedCertificate: 'AB'.repeat(32) });
      assert.equal(unknown.error?.messageCode, 'collaboration.fingerprint_mismatch', JSON.stringify(unknown));
      assert.deepEqual(await aliases(), trustedBefore, 'a wrong fingerprint trusts nothing');

      const confirmed = await validate({ trustPresentedCertificate: caFingerprint });
      assert.equal(confirmed.status, 'success', JSON.stringify(confirmed));
      assert.ok(confirmed.trustAlias?.startsWith(`collaboration-localhost-${port}-`), confirmed.trustAlias);
      // The entry the trust exchange had added for the host's former CA goes: no partner uses it now.
      const former = trustedBefore.filter((a) => a.startsWith('collaboration-'));
      assert.equal(former.length, 1, String(trustedBefore));
      assert.ok(
        confirmed.messages.some((m: string) => m.includes(`'${former[0]}' was removed`)),
        confirmed.messages,
      );
      assert.deepEqual(
        await aliases(),
        [...trustedBefore.filter((a) => a !== former[0]), confirmed.trustAlias].sort(),
      );
      const participant = await p.guest.call(p.path(`participants/${p.hostId}`), { token: p.guestToken });
      assert.equal(participant.certificateFingerprint, caFingerprint);

      const ok = await syncNow(p);
      assert.equal(ok.status, 'completed', JSON.stringify(ok));
      const got = (await groupItems(p.guest, p.guestToken, p.guestGroup)).filter(
        (i) => i.title === 'After the switch',
      );
      assert.equal(got.length, 1);
    });
  });
}
