import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { MeridianError } from '../../kernel/errors/meridian-error.ts';
import { openTestDb, type TestDb } from '../../kernel/jobs/test-databases.ts';
import { createOutboundClient } from '../../kernel/outbound/guarded-client.ts';
import { createPipelineRunner, type PipelineRunner } from '../../kernel/pipeline/runner.ts';
import { generateCertificate } from '../generate-certificate.ts';
import { createRootCa, type KeyAndCert } from '../local-ca.ts';
import { leafOptions } from '../test-helpers.ts';
import { DIAGNOSE_PIPELINE, type DiagnoseOptions, diagnose } from './diagnose.ts';
import { diagnosisExplainer } from './explain-failure.ts';
import { closedPort, type RunningServer, startHttpsServer } from './test-servers.ts';

describe('the TLS diagnosis runs as a pipeline and leaves a trace', () => {
  let t: TestDb;
  let runner: PipelineRunner;
  let ca: KeyAndCert;
  let server: RunningServer;
  const opts = (anchors: string[]): DiagnoseOptions => ({
    trustAnchors: anchors,
    includePublicRoots: false,
    allowLoopback: true,
    timeoutMs: 3000,
    pipelines: runner,
  });
  const seen = new Set<string>();
  /** The one trace written since the last call (runs within one millisecond have no order). */
  const lastTrace = async () => {
    const fresh = (await runner.list({ pipeline: DIAGNOSE_PIPELINE, num: 100 })).traces.filter(
      (x) => !seen.has(x.id),
    );
    assert.equal(fresh.length, 1, 'one diagnosis, one trace');
    seen.add(fresh[0]!.id);
    return fresh[0]!;
  };
  before(async () => {
    t = await openTestDb('sqlite');
    runner = createPipelineRunner({ db: t.db, keepDays: 14, nodeId: 'diag-node' });
    ca = await createRootCa('Trace Test CA');
    const leaf = await generateCertificate(leafOptions({ issuer: ca }));
    server = await startHttpsServer({ key: leaf.keyPem, cert: leaf.certPem + ca.certPem }, (_q, r) =>
      r.end('ok'),
    );
  });
  after(async () => {
    await server.close();
    await t.cleanup();
  });

  test('a trusted site: every step ok, with short details; the subject carries no user information or query', async () => {
    const url = `https://someone:s3cret-pass@127.0.0.1:${server.port}/portal/sharing?token=t0ken-value`;
    const report = await diagnose(url, opts([ca.certPem]));
    assert.equal(report.code, 'ok');
    const trace = await lastTrace();
    assert.equal(trace.outcome, 'succeeded');
    assert.equal(trace.code, null);
    assert.equal(trace.subject, `https://127.0.0.1:${server.port}/portal/sharing`);
    assert.deepEqual(
      trace.steps.map((s) => [s.name, s.outcome]),
      [
        ['parse_target', 'ok'],
        ['resolve', 'ok'],
        ['connect', 'ok'],
        ['capture_chain', 'ok'],
        ['check_validity', 'ok'],
        ['check_chain', 'ok'],
        ['check_host', 'ok'],
        ['check_key_usage', 'ok'],
        ['classify', 'ok'],
        ['build_report', 'ok'],
      ],
    );
    const detail = Object.fromEntries(trace.steps.map((s) => [s.name, s.detail]));
    assert.equal(detail.resolve, '127.0.0.1');
    assert.match(detail.connect!, /^TLSv1\.3 /);
    assert.match(detail.capture_chain!, /^2 certificate\(s\), leaf CN=/);
    assert.equal(detail.build_report, 'trusted');
    const text = JSON.stringify(trace);
    assert.ok(!text.includes('s3cret') && !text.includes('t0ken'), 'no secret of the URL reaches the trace');
    // The report's own step list is as before: the seven connection and certificate steps.
    assert.deepEqual(
      report.steps.map((s) => s.name),
      [
        'resolve',
        'connect',
        'capture_chain',
        'check_validity',
        'check_chain',
        'check_host',
        'check_key_usage',
      ],
    );
  });

  test('an untrusted CA: check_chain flagged, the run fails at classify with the report’s code', async () => {
    const report = await diagnose(server.url, opts([]));
    assert.equal(report.code, 'trust.unknown_ca');
    const trace = await lastTrace();
    assert.equal(trace.outcome, 'failed');
    assert.equal(trace.code, 'trust.unknown_ca');
    const byName = Object.fromEntries(trace.steps.map((s) => [s.name, s]));
    assert.equal(byName.check_chain!.outcome, 'flagged');
    assert.equal(byName.check_chain!.detail, 'trust.unknown_ca');
    assert.equal(byName.classify!.outcome, 'failed');
    assert.match(byName.classify!.detail, /^trust\.unknown_ca: .*Trace Test CA/);
    assert.equal(byName.build_report, undefined, 'nothing runs after the failure');
  });

  test('a refused connection fails at connect; a malformed URL fails at parse_target and still throws', async () => {
    const port = await closedPort();
    assert.equal((await diagnose(`https://127.0.0.1:${port}/`, opts([]))).code, 'net.connection_refused');
    const refused = await lastTrace();
    assert.deepEqual(
      [refused.code, refused.steps.at(-1)!.name, refused.steps.at(-1)!.outcome],
      ['net.connection_refused', 'connect', 'failed'],
    );
    await assert.rejects(
      diagnose('ftp://example.org/', opts([])),
      (e: MeridianError) => e.code === 'outbound.invalid_url',
    );
    const invalid = await lastTrace();
    assert.deepEqual(
      [invalid.code, invalid.steps.map((s) => s.name)],
      ['outbound.invalid_url', ['parse_target']],
    );
  });

  test('the guarded client with the diagnosis as its explainer: a refused certificate comes back as trust.* with the diagnosis, and leaves a trace', async () => {
    const store: string[] = [];
    const run = (url: string, o: DiagnoseOptions) => diagnose(url, { ...o, pipelines: runner });
    const client = createOutboundClient({
      trustAnchors: () => store,
      includePublicRoots: false,
      allowLoopback: true,
      allowPrivate: false,
      explainCertificateFailure: diagnosisExplainer(run),
    });
    await assert.rejects(client.request(server.url), (err: MeridianError) => {
      assert.equal(err.code, 'trust.unknown_ca');
      const diagnosis = err.data?.diagnosis as { suggestedTrust: { pem: string }; address: string };
      assert.equal(diagnosis.address, '127.0.0.1');
      store.push(diagnosis.suggestedTrust.pem); // the administrator confirms the fingerprint and imports it
      return true;
    });
    assert.equal((await lastTrace()).steps.find((s) => s.name === 'resolve')!.detail, '127.0.0.1 (given)');
    assert.equal((await client.request(server.url)).text(), 'ok');
    assert.equal(
      (await runner.list({ pipeline: DIAGNOSE_PIPELINE, num: 100 })).traces.length,
      seen.size,
      'a trusted request runs no diagnosis',
    );
  });
});
