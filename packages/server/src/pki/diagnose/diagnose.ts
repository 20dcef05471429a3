import type { X509Certificate } from 'node:crypto';
import { catalogue } from '../../kernel/errors/meridian-error.ts';
import type { AddressPolicy } from '../../kernel/outbound/address-policy.ts';
import { type ResolvedAddress, resolveHost } from '../../kernel/outbound/resolve-host.ts';
import { currentAnchors, type TrustAnchorsProvider } from '../../kernel/outbound/trust-anchors-provider.ts';
import {
  definePipeline,
  runPipeline,
  type Step,
  type StepNote,
  step,
} from '../../kernel/pipeline/pipeline.ts';
import type { PipelineRunner } from '../../kernel/pipeline/runner.ts';
import { describeCertificate, expiryOf } from '../describe-certificate.ts';
import { resolveAnchors } from '../trust-anchors.ts';
import {
  type ChainInput,
  checkLeafHost,
  checkLeafUsage,
  checkPresentedValidity,
  checkTrustPath,
  trustThatFixes,
} from '../verify/evaluate-chain.ts';
import type { TrustFinding } from '../verify/trust-finding.ts';
import { type CapturedHandshake, captureChain } from './capture-chain.ts';
import { classifyConnectionError } from './classify-error.ts';
import {
  type DiagnosisProblem,
  type DiagnosisReport,
  type DiagnosisStep,
  presented,
  problemOf,
  suggested,
} from './report.ts';
import { type DiagnosisTarget, parseTarget, traceSubject } from './target.ts';

export interface DiagnoseOptions extends Partial<AddressPolicy> {
  /** The trust store (PEM), or a function returning its current content. */
  trustAnchors: readonly string[] | TrustAnchorsProvider;
  /** Also trust the public roots Node.js ships. Default true. */
  includePublicRoots?: boolean;
  /** For the whole handshake. Default 10 000 ms. */
  timeoutMs?: number;
  /** Skip the resolve step and connect to this (already checked) address. */
  address?: string;
  now?: number;
  expiringWithinDays?: number;
  /** Runs the steps and keeps the run's trace; without it the steps run unrecorded. */
  pipelines?: Pick<PipelineRunner, 'run'>;
}

/** The name of the diagnosis in traces (GET portaladmin/traces?pipeline=tls.diagnose). */
export const DIAGNOSE_PIPELINE = 'tls.diagnose';

interface State {
  url: string;
  opts: DiagnoseOptions;
  target?: DiagnosisTarget;
  report?: DiagnosisReport;
  resolved?: ResolvedAddress;
  handshake?: CapturedHandshake;
  anchors?: X509Certificate[];
  /** What the certificate checks found; they all run, so every problem is reported at once. */
  findings: TrustFinding[];
}

/** The diagnosis ended with a report that names a problem (a successful answer, ok:false). */
class DiagnosisEnded extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

/** The steps the report lists (DiagnosisReport.steps), as before the diagnosis ran as a pipeline. */
const REPORT_STEPS = new Set<string>([
  'resolve',
  'connect',
  'capture_chain',
  'check_validity',
  'check_chain',
  'check_host',
  'check_key_usage',
] satisfies DiagnosisStep['name'][]);

/**
 * A connection step: a failure is classified into the report (code, message, fix) and ends
 * the diagnosis.
 */
function connectionStep(
  name: DiagnosisStep['name'],
  fn: (s: State) => Promise<StepNote> | StepNote,
): Step<State> {
  return step(name, async (s) => {
    try {
      return await fn(s);
    } catch (err) {
      if (err instanceof DiagnosisEnded) throw err;
      const c = classifyConnectionError(err, s.target!.label);
      finish(s, c.code, c.message);
    }
  });
}

/** A certificate check: records its findings and lets the next check run. */
function check(name: DiagnosisStep['name'], fn: (input: ChainInput) => TrustFinding[]): Step<State> {
  return step(name, (s) => {
    const found = fn(chainInput(s));
    s.findings.push(...found);
    return found.length ? { flagged: true, detail: found.map((f) => f.code).join(', ') } : undefined;
  });
}

/**
 * The TLS diagnosis: connects to an HTTPS endpoint and explains whether this portal can trust
 * it. parse_target → resolve (and check the address policy) → connect → capture_chain →
 * check_validity → check_chain → check_host → check_key_usage → classify → build_report. A
 * failed connection step ends the diagnosis; the certificate checks all run, and classify
 * turns every problem they found into the report (the first one decides the code).
 */
const DIAGNOSIS = definePipeline<State>(DIAGNOSE_PIPELINE, [
  step('parse_target', parseTargetStep),
  connectionStep('resolve', resolve),
  connectionStep('connect', connectAndCapture),
  connectionStep('capture_chain', recordChain),
  check('check_validity', (i) => checkPresentedValidity(i)),
  check('check_chain', (i) => checkTrustPath(i).findings),
  check('check_host', (i) => checkLeafHost(i)),
  check('check_key_usage', (i) => checkLeafUsage(i)),
  step('classify', classify),
  step('build_report', buildReport),
]);

/**
 * Explains whether this portal can trust https://host[:port]/path, and how to fix it. The
 * report lists every problem the checks found; it carries the presented chain and, only when
 * trusting one certificate would by itself make the connection succeed, that certificate.
 * With opts.pipelines each diagnosis leaves a trace.
 */
export async function diagnose(url: string, opts: DiagnoseOptions): Promise<DiagnosisReport> {
  const state: State = { url, opts, findings: [] };
  const subject = traceSubject(url);
  const run = opts.pipelines
    ? await opts.pipelines.run(DIAGNOSIS, state, subject)
    : await runPipeline(DIAGNOSIS, state, { subject });
  if (run.outcome === 'failed' && !(run.error instanceof DiagnosisEnded)) throw run.error;
  const report = state.report!;
  report.steps = run.steps
    .filter((s) => REPORT_STEPS.has(s.name))
    .map((s) => ({ name: s.name as DiagnosisStep['name'], ok: s.outcome === 'ok', ms: s.ms }));
  return report;
}

function parseTargetStep(s: State): string {
  const target = parseTarget(s.url);
  s.target = target;
  s.report = {
    ok: false,
    code: 'net.error',
    message: '',
    fix: '',
    host: target.host,
    port: target.port,
    presentedChain: [],
    warnings: [],
    problems: [],
    steps: [],
    checkedAt: s.opts.now ?? Date.now(),
  };
  return target.label;
}

function chainInput(s: State): ChainInput {
  return { presented: s.handshake!.chain, anchors: s.anchors!, host: s.target!.host, now: s.opts.now };
}

function finish(s: State, code: DiagnosisProblem['code'], message: string): never {
  const r = s.report!;
  r.code = code;
  r.message = message;
  r.fix = catalogue.get(code)?.fix ?? '';
  r.problems = [{ code, message, fix: r.fix }];
  throw new DiagnosisEnded(code, message);
}

async function resolve(s: State): Promise<string> {
  if (s.opts.address) {
    s.resolved = { address: s.opts.address, family: s.opts.address.includes(':') ? 6 : 4 };
  } else {
    s.resolved = await resolveHost(s.target!.host, {
      allowLoopback: s.opts.allowLoopback ?? false,
      allowPrivate: s.opts.allowPrivate ?? true,
    });
  }
  s.report!.address = s.resolved.address;
  return s.opts.address ? `${s.resolved.address} (given)` : s.resolved.address;
}

async function connectAndCapture(s: State): Promise<string> {
  s.handshake = await captureChain({
    host: s.target!.host,
    address: s.resolved!.address,
    port: s.target!.port,
    timeoutMs: s.opts.timeoutMs ?? 10_000,
  });
  s.report!.protocol = s.handshake.protocol ?? undefined;
  s.report!.cipher = s.handshake.cipher;
  return `${s.handshake.protocol ?? '?'} ${s.handshake.cipher ?? ''}`;
}

/** Records what the server presented and loads the trust anchors to judge it by. */
async function recordChain(s: State): Promise<string> {
  const chain = s.handshake!.chain;
  if (chain.length === 0) finish(s, 'tls.handshake_failed', `${s.target!.label} sent no certificate.`);
  s.report!.presentedChain = chain.map(presented);
  s.anchors = resolveAnchors(await currentAnchors(s.opts.trustAnchors), s.opts.includePublicRoots ?? true);
  return `${chain.length} certificate(s), leaf ${describeCertificate(chain[0]!).subject}`;
}

/** Ends the diagnosis with every certificate problem; the first decides the code. */
function classify(s: State): string {
  const findings = s.findings;
  if (!findings.length) return 'no problem found';
  const r = s.report!;
  r.problems = findings.map(problemOf);
  const trust = trustThatFixes(chainInput(s), findings);
  if (trust) r.suggestedTrust = suggested(trust);
  const missing = findings.find((f) => f.missingIssuer)?.missingIssuer;
  if (missing) r.missingIssuer = missing;
  const names = findings.find((f) => f.names)?.names;
  if (names) r.certificateNames = names;
  r.code = findings[0]!.code;
  r.message =
    findings.length === 1
      ? findings[0]!.message
      : `${findings.length} problems: ${findings.map((f, i) => `(${i + 1}) ${f.message}`).join(' ')}`;
  r.fix = [...new Set(r.problems.map((p) => p.fix))].join(' ');
  throw new DiagnosisEnded(r.code, r.message);
}

function buildReport(s: State): string {
  const r = s.report!;
  r.ok = true;
  r.code = 'ok';
  r.message = `The certificate of ${s.target!.label} is trusted.`;
  const leaf = s.handshake!.chain[0]!;
  const exp = expiryOf(Date.parse(leaf.validFrom), Date.parse(leaf.validTo), {
    now: s.opts.now,
    expiringWithinDays: s.opts.expiringWithinDays,
  });
  if (exp.state === 'expiring') r.warnings.push(`The server certificate expires in ${exp.daysLeft} day(s).`);
  return r.warnings.length ? `trusted; ${r.warnings.join(' ')}` : 'trusted';
}
