import type { X509Certificate } from 'node:crypto';
import { catalogue } from '../../errors/meridian-error.ts';
import type { AddressPolicy } from '../../outbound/address-policy.ts';
import { type ResolvedAddress, resolveHost } from '../../outbound/resolve-host.ts';
import { currentAnchors, type TrustAnchorsProvider } from '../../outbound/trust-anchors-provider.ts';
import { expiryOf } from '../describe-certificate.ts';
import { resolveAnchors } from '../trust-anchors.ts';
import { checkChain } from '../verify/check-chain.ts';
import { checkHost } from '../verify/check-host.ts';
import { checkKeyUsage } from '../verify/check-key-usage.ts';
import { checkValidity } from '../verify/check-validity.ts';
import type { TrustFinding } from '../verify/trust-finding.ts';
import { type CapturedHandshake, captureChain } from './capture-chain.ts';
import { classifyConnectionError } from './classify-error.ts';
import { type DiagnosisReport, type DiagnosisStep, presented, suggested } from './report.ts';
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
}

class Stop extends Error {}

/**
 * Connects to an HTTPS endpoint and explains whether this portal can trust it, as a list of
 * named steps: resolve → connect → capture chain → check validity → check chain → check host
 * → check key usage. The first failing step decides the code; the report carries the
 * presented chain and, when trusting a certificate would fix it, that certificate.
 */
export async function diagnose(url: string, opts: DiagnoseOptions): Promise<DiagnosisReport> {
  const target = parseTarget(url);
  const state: State = {
    target,
    opts,
    report: {
      ok: false,
      code: 'net.error',
      message: '',
      fix: '',
      host: target.host,
      port: target.port,
      presentedChain: [],
      warnings: [],
      steps: [],
      checkedAt: opts.now ?? Date.now(),
    },
  };
  try {
    await step(state, 'resolve', resolve);
    await step(state, 'connect', connectAndCapture);
    await step(state, 'capture_chain', recordChain);
    await step(state, 'check_validity', validity);
    await step(state, 'check_chain', chain);
    await step(state, 'check_host', host);
    await step(state, 'check_key_usage', keyUsage);
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

function finish(state: State, code: DiagnosisReport['code'], message: string): never {
  state.report.code = code;
  state.report.message = message;
  state.report.fix = catalogue.get(code)?.fix ?? '';
  throw new Stop(code);
}

function failWith(state: State, finding: TrustFinding): never {
  const r = state.report;
  if (finding.suggestedTrust) r.suggestedTrust = suggested(finding.suggestedTrust);
  if (finding.missingIssuer) r.missingIssuer = finding.missingIssuer;
  if (finding.names) r.certificateNames = finding.names;
  finish(state, finding.code, finding.message);
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

function validity(s: State): void {
  const f = checkValidity(s.handshake!.chain, s.opts.now);
  if (f) failWith(s, f);
}

function chain(s: State): void {
  const presentedCerts = s.handshake!.chain;
  const result = checkChain(presentedCerts, s.anchors!);
  if (result.finding) failWith(s, result.finding);
  const extra = result.path.path.filter((c) => !presentedCerts.includes(c));
  const f = checkValidity(extra, s.opts.now);
  if (f) failWith(s, f);
}

function host(s: State): void {
  const f = checkHost(s.handshake!.chain[0]!, s.target.host);
  if (f) failWith(s, f);
}

function keyUsage(s: State): void {
  const f = checkKeyUsage(s.handshake!.chain[0]!);
  if (f) failWith(s, f);
}
