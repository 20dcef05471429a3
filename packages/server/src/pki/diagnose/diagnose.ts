import type { X509Certificate } from 'node:crypto';
import { catalogue } from '../../kernel/errors/meridian-error.ts';
import type { AddressPolicy } from '../../kernel/outbound/address-policy.ts';
import { type ResolvedAddress, resolveHost } from '../../kernel/outbound/resolve-host.ts';
import { currentAnchors, type TrustAnchorsProvider } from '../../kernel/outbound/trust-anchors-provider.ts';
import { expiryOf } from '../describe-certificate.ts';
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
import { type DiagnosisTarget, parseTarget } from './target.ts';

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
}

interface State {
  target: DiagnosisTarget;
  opts: DiagnoseOptions;
  report: DiagnosisReport;
  resolved?: ResolvedAddress;
  handshake?: CapturedHandshake;
  anchors?: X509Certificate[];
  /** What the certificate checks found; they all run, so every problem is reported at once. */
  findings: TrustFinding[];
}

class Stop extends Error {}

/**
 * Connects to an HTTPS endpoint and explains whether this portal can trust it, as a list of
 * named steps: resolve → connect → capture chain → check validity → check chain → check host
 * → check key usage. A failed connection step ends the diagnosis; the certificate checks all
 * run, and the report lists every problem they found (the first one decides the code). It
 * carries the presented chain and, only when trusting one certificate would by itself make
 * the connection succeed, that certificate.
 */
export async function diagnose(url: string, opts: DiagnoseOptions): Promise<DiagnosisReport> {
  const target = parseTarget(url);
  const state: State = {
    target,
    opts,
    findings: [],
    report: {
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
      checkedAt: opts.now ?? Date.now(),
    },
  };
  try {
    await step(state, 'resolve', resolve);
    await step(state, 'connect', connectAndCapture);
    await step(state, 'capture_chain', recordChain);
    await check(state, 'check_validity', (i) => checkPresentedValidity(i));
    await check(state, 'check_chain', (i) => checkTrustPath(i).findings);
    await check(state, 'check_host', (i) => checkLeafHost(i));
    await check(state, 'check_key_usage', (i) => checkLeafUsage(i));
    if (state.findings.length) failWith(state, state.findings);
  } catch (err) {
    if (!(err instanceof Stop)) throw err;
    return state.report;
  }
  const r = state.report;
  r.ok = true;
  r.code = 'ok';
  r.message = `The certificate of ${target.label} is trusted.`;
  const leaf = state.handshake!.chain[0]!;
  const exp = expiryOf(Date.parse(leaf.validFrom), Date.parse(leaf.validTo), {
    now: opts.now,
    expiringWithinDays: opts.expiringWithinDays,
  });
  if (exp.state === 'expiring') r.warnings.push(`The server certificate expires in ${exp.daysLeft} day(s).`);
  return r;
}

async function step(
  state: State,
  name: DiagnosisStep['name'],
  fn: (s: State) => Promise<void> | void,
): Promise<void> {
  const t0 = performance.now();
  try {
    await fn(state);
    state.report.steps.push({ name, ok: true, ms: Math.round(performance.now() - t0) });
  } catch (err) {
    state.report.steps.push({ name, ok: false, ms: Math.round(performance.now() - t0) });
    if (err instanceof Stop) throw err;
    const c = classifyConnectionError(err, state.target.label);
    finish(state, c.code, c.message);
  }
}

/** A certificate check: records its findings and goes on to the next check. */
async function check(
  state: State,
  name: DiagnosisStep['name'],
  fn: (input: ChainInput) => TrustFinding[],
): Promise<void> {
  const t0 = performance.now();
  const found = fn(chainInput(state));
  state.findings.push(...found);
  state.report.steps.push({ name, ok: found.length === 0, ms: Math.round(performance.now() - t0) });
}

function chainInput(s: State): ChainInput {
  return { presented: s.handshake!.chain, anchors: s.anchors!, host: s.target.host, now: s.opts.now };
}

function finish(state: State, code: DiagnosisProblem['code'], message: string): never {
  state.report.code = code;
  state.report.message = message;
  state.report.fix = catalogue.get(code)?.fix ?? '';
  state.report.problems = [{ code, message, fix: state.report.fix }];
  throw new Stop(code);
}

/** Ends the diagnosis with every certificate problem; the first decides the code. */
function failWith(state: State, findings: readonly TrustFinding[]): never {
  const r = state.report;
  r.problems = findings.map(problemOf);
  const trust = trustThatFixes(chainInput(state), findings);
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
  throw new Stop(r.code);
}

async function resolve(s: State): Promise<void> {
  if (s.opts.address) {
    s.resolved = { address: s.opts.address, family: s.opts.address.includes(':') ? 6 : 4 };
  } else {
    s.resolved = await resolveHost(s.target.host, {
      allowLoopback: s.opts.allowLoopback ?? false,
      allowPrivate: s.opts.allowPrivate ?? true,
    });
  }
  s.report.address = s.resolved.address;
}

async function connectAndCapture(s: State): Promise<void> {
  s.handshake = await captureChain({
    host: s.target.host,
    address: s.resolved!.address,
    port: s.target.port,
    timeoutMs: s.opts.timeoutMs ?? 10_000,
  });
  s.report.protocol = s.handshake.protocol ?? undefined;
  s.report.cipher = s.handshake.cipher;
}

/** Records what the server presented and loads the trust anchors to judge it by. */
async function recordChain(s: State): Promise<void> {
  if (s.handshake!.chain.length === 0)
    finish(s, 'tls.handshake_failed', `${s.target.label} sent no certificate.`);
  s.report.presentedChain = s.handshake!.chain.map(presented);
  s.anchors = resolveAnchors(await currentAnchors(s.opts.trustAnchors), s.opts.includePublicRoots ?? true);
}
