/**
 * Collaboration sync between two portal processes (`meridian start`, each with its own data
 * directory and CA), for what only separate processes show:
 * - the guest SIGKILLed in the middle of a copy sync and restarted on its port: the interrupted
 *   run is taken over and completes; every item arrives once with its data's SHA-256, nothing
 *   left in the transfer directory or the file store;
 * - access modes: a receive-only guest sends nothing; a guest that missed the host's change of
 *   its mode (it was down) takes it from the host at its next sync and sends nothing;
 * - the host switches to a certificate from a CA the guest does not know: the guest's sync fails
 *   with the diagnosis (unknown CA, the presented chain with its fingerprints); once the guest's
 *   administrator confirms the host's new CA by its fingerprint (portaladmin/security/diagnose/
 *   trust), the next sync succeeds, with no restart;
 * - SIGTERM stops each process within seconds while a real-time run waits on the host;
 * - the host removes the guest: its signed calls are refused and its sync fails with
 *   collaboration.partner_revoked.
 */
import assert from 'node:assert/strict';
import { randomBytes, X509Certificate } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { DEFAULT_IDLE_TIMEOUT_MS } from '../packages/server/src/kernel/outbound/connection-pool.ts';
import { servedCertificate } from '../packages/server/src/pki/routes/test-support.ts';
import { type Json, sha256, startTwoPortals, type TwoPortals } from './collab/two-portals.ts';
import { unknownCaServerCertificate } from './collab/unknown-ca.ts';

const ACTIVE = ['submitted', 'started', 'in_progress'];

describe('collaboration sync between two portal processes', () => {
  let s: TwoPortals;
  const W = () => `workspaces/${s.ids.workspace}`;
  const titles = (items: Json[]) => items.map((i) => i.title as string);
  /** Files of the guest's store (32 hex digits) and of its transfer directory. */
  const guestFiles = () => {
    const files = join(s.guestHome, 'files');
    const ls = (d: string) => {
      try {
        return readdirSync(d);
      } catch {
        return [];
      }
    };
    return {
      store: ls(files).filter((n) => /^[0-9a-f]{32}$/.test(n)),
      partials: ls(join(files, '.collaboration-partials')),
    };
  };

  before(async () => {
    s = await startTwoPortals('collab-sync');
  });
  after(() => s?.close());

  test('the guest SIGKILLed mid copy, restarted: the run completes, every item once with its SHA-256, nothing left over', async () => {
    const data = [0, 1, 2].map(() => randomBytes(4_000_000));
    const total = data.reduce((n, d) => n + d.length, 0);
    const origin: Record<string, string> = {};
    for (const [i, d] of data.entries()) {
      const id = await s.addItem(
        'host',
        { title: `Survey ${i}`, type: 'PDF' },
        { name: `s${i}.pdf`, data: d },
      );
      await s.share('host', id);
      origin[`Survey ${i}`] = sha256(d);
    }
    const before = guestFiles().store.length;
    const started = await s.collab('guest', `${W()}/sync`, { async: true });
    assert.equal(started.success, true, JSON.stringify(started));
    // Mid transfer: the run is in progress and a partial file is growing.
    const partDir = join(s.guestHome, 'files', '.collaboration-partials');
    const [running] = await s.syncStatus(started.key);
    assert.ok(['submitted', 'started', 'in_progress'].includes(running.status), running.status);
    let seen = 0;
    const t0 = Date.now();
    while (Date.now() - t0 < 20_000) {
      const parts = guestFiles().partials.filter((n) => n.endsWith('.part'));
      seen = parts.reduce(
        (n, p) => n + (statSync(join(partDir, p), { throwIfNoEntry: false })?.size ?? 0),
        0,
      );
      if (seen > 0) break;
      await sleep(2);
    }
    s.guest.child.kill('SIGKILL');
    assert.ok(seen > 0 && seen < total, `killed with ${seen} of ${total} bytes in a partial file`);
    await s.restartGuest();
    const [interrupted] = await s.syncStatus(started.key);
    assert.equal(interrupted.status, 'in_progress', 'the killed run has not ended');
    assert.deepEqual(titles(await s.groupItems('guest')), [], 'nothing applied before its data arrived');

    // The next sync joins the interrupted run, which the restarted guest takes over and finishes.
    const t1 = Date.now();
    const run = await s.syncNow();
    assert.equal(run.syncId, started.key, 'the interrupted run, taken over');
    assert.equal(run.status, 'completed', JSON.stringify(run));
    assert.equal(run.summary.received, 3);
    assert.ok(
      run.summary.bytes <= total - seen,
      `the rerun continued from the partial file: ${run.summary.bytes} of ${total} bytes moved again`,
    );
    const got = await s.groupItems('guest');
    assert.deepEqual(titles(got), ['Survey 0', 'Survey 1', 'Survey 2'], 'each item exactly once');
    for (const item of got) assert.equal(await s.dataSha('guest', item.id), origin[item.title], item.title);
    const left = guestFiles();
    assert.deepEqual(left.partials, [], 'no partial or checked file is left in the transfer directory');
    assert.equal(left.store.length, before + 3, 'one stored file per received item, no orphan');
    const job = await s.get('guest', `/portaladmin/jobs/${started.jobId}`);
    assert.deepEqual([job.status, job.attempts], ['succeeded', 2], 'run again by the restarted node');
    const again = await s.syncNow();
    assert.deepEqual([again.status, again.summary.received, again.summary.bytes], ['completed', 0, 0]);
    // The killed node's lease has to expire (30 s) before the restarted node takes the run over.
    assert.ok(Date.now() - t1 < 45_000, `taken over and finished in ${Date.now() - t1} ms`);
  });

  test('access modes: a guest that missed being made receive-only takes its mode from the host at its next sync; a receive-only guest sends nothing', async () => {
    const setMode = (mode: string) =>
      s.collab('host', `participants/${s.ids.guest}/updateParticipantAccessModes`, {
        collaborationWorkspacesAccessJSON: JSON.stringify([{ [s.ids.workspace]: mode }]),
      });
    const guestMode = async () => (await s.collab('guest', `${W()}/configSync`)).accessMode;
    await s.restartGuest({
      whileDown: async () => {
        const r = await setMode('receive');
        assert.deepEqual([r.success, r.partnerTold], [true, false], JSON.stringify(r));
      },
    });
    assert.equal(await guestMode(), 'sendAndReceive', 'the guest was down: it was not told');
    const memo = await s.addItem('guest', {
      title: 'Guest memo',
      type: 'Web Map',
      text: '{"operationalLayers":[]}',
    });
    await s.share('guest', memo);
    // Its next sync asks the host for its modes first: it sends nothing, and fails nothing.
    const caughtUp = await s.syncNow();
    assert.deepEqual([caughtUp.status, caughtUp.summary.sent], ['completed', 0], JSON.stringify(caughtUp));
    assert.equal(await guestMode(), 'receive', 'the guest took its mode from the host');
    assert.ok(!titles(await s.groupItems('host')).includes('Guest memo'));

    const told = await setMode('receive');
    assert.equal(told.partnerTold, true, JSON.stringify(told));
    assert.equal(await guestMode(), 'receive');
    const quiet = await s.syncNow();
    assert.deepEqual([quiet.status, quiet.summary.sent], ['completed', 0], JSON.stringify(quiet));
    assert.ok(!titles(await s.groupItems('host')).includes('Guest memo'), 'a receive-only guest cannot send');

    await setMode('sendAndReceive');
    const sent = await s.syncNow();
    assert.deepEqual([sent.status, sent.summary.sent], ['completed', 1], JSON.stringify(sent));
    assert.ok(titles(await s.groupItems('host')).includes('Guest memo'), 'sent once it may send');
  });

  test("the host serves a certificate from a CA the guest does not know: sync fails with the diagnosis, and succeeds once the guest confirms the new CA's fingerprint", async () => {
    const ca = unknownCaServerCertificate('Host Replacement CA');
    await s.clientTrusts(ca.caPem);
    const imported = await s.upload(
      'host',
      '/portaladmin/security/sslCertificates/importExistingServerCertificate',
      { alias: 'replacement', certPassword: ca.password },
      { file: { name: 'replacement.pfx', data: ca.pfx } },
    );
    assert.equal(imported.status, 'success', JSON.stringify(imported));
    const switched = await s.call('host', '/portaladmin/security/sslCertificates/update', {
      webServerCertificateAlias: 'replacement',
    });
    assert.equal(switched.status, 'success', JSON.stringify(switched));
    const t0 = Date.now();
    while ((await servedCertificate(s.host.port)).issuer !== new X509Certificate(ca.caPem).subject) {
      assert.ok(Date.now() - t0 < 10_000, 'the host serves the new certificate');
      await sleep(100);
    }
    // The guest's kept-alive connection to the host was verified against the old certificate;
    // once it has been idle past the pool's idle timeout, the next call opens (and checks) a new one.
    await sleep(DEFAULT_IDLE_TIMEOUT_MS + 1_000);
    const news = await s.addItem('host', { title: 'After the switch', type: 'Web Map', text: '{}' });
    await s.share('host', news);

    const failed = await s.syncNow();
    assert.equal(failed.status, 'failed', JSON.stringify(failed));
    const [error] = failed.history.errors;
    assert.equal(error.code, 'trust.unknown_ca', JSON.stringify(failed.history));
    assert.ok(
      error.message.includes(
        `"Host Replacement CA", which this portal does not trust (SHA-256 fingerprint ${ca.caFingerprint})`,
      ),
      error.message,
    );
    assert.equal(error.diagnosis.suggestedTrust?.sha256Fingerprint, ca.caFingerprint);
    const fingerprints = error.diagnosis.presentedChain.map((c: Json) => c.sha256Fingerprint);
    assert.ok(
      fingerprints.includes(ca.caFingerprint),
      `the history shows the CA's fingerprint: ${fingerprints}`,
    );
    assert.ok(!titles(await s.groupItems('guest')).includes('After the switch'));

    // The guest's administrator compares the fingerprint with the one the host's gave and trusts it.
    const diagnose = { url: s.host.base };
    const wrong = await s.call('guest', '/portaladmin/security/diagnose/trust', {
      ...diagnose,
      sha256Fingerprint: fingerprints.find((f: string) => f !== ca.caFingerprint),
    });
    assert.equal(
      wrong.error?.messageCode ?? wrong.errorCode,
      'trust.fingerprint_mismatch',
      JSON.stringify(wrong),
    );
    const trusted = await s.call('guest', '/portaladmin/security/diagnose/trust', {
      ...diagnose,
      sha256Fingerprint: ca.caFingerprint,
    });
    assert.equal(trusted.status, 'success', JSON.stringify(trusted));
    const ok = await s.syncNow();
    assert.equal(ok.status, 'completed', JSON.stringify(ok));
    assert.equal(titles(await s.groupItems('guest')).filter((t) => t === 'After the switch').length, 1);
  });

  test('SIGTERM stops each portal process within seconds while real-time sync waits on the host', async () => {
    const realtime = (on: boolean) =>
      s.collab('guest', `${W()}/updatePortalGroupLink`, { enableRealtimeSync: on });
    const waiting = async () => {
      const t0 = Date.now();
      while (Date.now() - t0 < 20_000) {
        const runs = (await s.syncStatus()) as Json[];
        if (runs.some((r) => r.syncExecType === 'realtime' && ACTIVE.includes(r.status))) {
          await sleep(1000); // its long-poll on the host has begun
          return;
        }
        await sleep(100);
      }
      assert.fail('no real-time run within 20 s');
    };
    /** How long the SIGTERM stop of a restart took. */
    const stopTime = async (restart: (o: { whileDown: () => Promise<void> }) => Promise<void>) => {
      const t0 = Date.now();
      let ms = 0;
      await restart({
        whileDown: async () => {
          ms = Date.now() - t0;
        },
      });
      return ms;
    };
    assert.ok(!(await realtime(true)).error);
    await waiting();
    const guestMs = await stopTime((o) => s.restartGuest(o));
    await waiting();
    const hostMs = await stopTime((o) => s.restartHost(o));
    assert.ok(!(await realtime(false)).error);
    for (let i = 0; i < 100; i++) {
      const runs = (await s.syncStatus()) as Json[];
      if (!runs.some((r) => ACTIVE.includes(r.status))) break;
      await sleep(200);
    }
    assert.ok(guestMs < 5_000, `the guest stopped in ${guestMs} ms`);
    assert.ok(hostMs < 5_000, `the host stopped in ${hostMs} ms`);
  });

  test("the host removes the guest while it is down: the host refuses the guest's calls, its sync fails with collaboration.partner_revoked; once the guest leaves too, it calls the host no more", async () => {
    let removed: Json = {};
    await s.restartGuest({
      whileDown: async () => {
        removed = await s.collab('host', `participants/${s.ids.guest}/remove`);
      },
    });
    assert.deepEqual([removed.success, removed.partnerTold], [true, false], JSON.stringify(removed));
    assert.equal(
      (await s.collab('guest', `${W()}/configSync`)).partnerState,
      'active',
      'the guest was not told',
    );
    const late = await s.addItem('host', { title: 'After the end', type: 'Web Map', text: '{}' });
    await s.share('host', late);
    const run = await s.syncNow();
    assert.equal(run.status, 'failed', JSON.stringify(run));
    const [error] = run.history.errors;
    assert.equal(error.code, 'collaboration.partner_revoked', JSON.stringify(run.history));
    assert.ok(error.message.includes(`${s.host.base} refused`), `refused by the host: ${error.message}`);
    assert.ok(!titles(await s.groupItems('guest')).includes('After the end'));

    // The guest's administrator leaves too: the partnership ends on the guest, which calls the host no more.
    const left = await s.collab('guest', 'removeParticipation');
    assert.equal(left.success, true, JSON.stringify(left));
    assert.equal((await s.collab('guest', `${W()}/configSync`)).partnerState, 'removed');
    const after = await s.syncNow();
    assert.equal(
      after.history.errors[0]?.code,
      'collaboration.partner_revoked',
      JSON.stringify(after.history),
    );
    assert.match(after.history.errors[0].message, /no longer calls it/);
  });
});
