/**
 * TLS sessions resume on any node: two `meridian start` processes with different data
 * directories and ports on one PostgreSQL database (the same secrets.key), as behind a TCP load
 * balancer. A session made with node A is resumed by node B, TLS 1.2 and 1.3, with and without
 * SNI (openssl s_client's -sess_out / -sess_in).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createPgDatabase } from '../packages/server/test/pg-databases.ts';
import { type PortalProcess, startPortalProcess } from './portal-process.ts';

const PASSWORD = 'Resume-test-passw0rd!';

/** One s_client handshake; returns its output. The short wait lets TLS 1.3 tickets arrive. */
function handshake(
  port: number,
  opts: { version: '1_2' | '1_3'; sni: boolean; caFile: string; sess: string; save: boolean },
) {
  const args = [
    's_client',
    '-connect',
    `127.0.0.1:${port}`,
    `-tls${opts.version}`,
    '-CAfile',
    opts.caFile,
    '-verify_return_error',
    ...(opts.sni ? ['-servername', 'localhost'] : ['-noservername']),
    opts.save ? '-sess_out' : '-sess_in',
    opts.sess,
  ];
  const r = spawnSync('sh', ['-c', `sleep 0.3 | openssl ${args.map((a) => `'${a}'`).join(' ')}`], {
    encoding: 'utf8',
    timeout: 15_000,
  });
  return `${r.stdout}${r.stderr}`;
}

describe('TLS session resumption across nodes', () => {
  let db: Awaited<ReturnType<typeof createPgDatabase>>;
  let dir: string;
  let a: PortalProcess;
  let b: PortalProcess;
  let caFile: string;

  before(async () => {
    db = await createPgDatabase();
    dir = mkdtempSync(join(tmpdir(), 'meridian-resume-'));
    const env = {
      MERIDIAN_DATABASE_URL: db.url,
      MERIDIAN_ADMIN_PASSWORD: PASSWORD,
      MERIDIAN_FILES_DIR: join(dir, 'files'),
    };
    a = await startPortalProcess(join(dir, 'node-a'), env);
    mkdirSync(join(dir, 'node-b'), { mode: 0o700 });
    copyFileSync(join(dir, 'node-a', 'secrets.key'), join(dir, 'node-b', 'secrets.key'));
    b = await startPortalProcess(join(dir, 'node-b'), env);
    caFile = join(dir, 'ca.pem');
    writeFileSync(caFile, a.caPem);
  });

  after(async () => {
    await a?.stop();
    await b?.stop();
    rmSync(dir, { recursive: true, force: true });
    await db?.drop();
  });

  for (const version of ['1_2', '1_3'] as const)
    for (const sni of [true, false])
      test(`TLS ${version.replace('_', '.')} ${sni ? 'with' : 'without'} SNI: a session from node A resumes on node B`, () => {
        const sess = join(dir, `sess-${version}-${sni}`);
        const first = handshake(a.port, { version, sni, caFile, sess, save: true });
        assert.match(first, /Verify return code: 0 \(ok\)/, first);
        assert.match(first, /^New, TLSv/m, first);
        const second = handshake(b.port, { version, sni, caFile, sess, save: false });
        assert.match(second, /Verify return code: 0 \(ok\)/, second);
        assert.match(second, /^Reused, TLSv/m, `node B did not resume node A's session:\n${second}`);
      });
});
