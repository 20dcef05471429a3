import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import type { PkiContext } from '../context.ts';
import { listCertificates } from './cert-views.ts';
import { ServedCertificateInvalid } from './errors.ts';
import { listTrustStore } from './trust-store.ts';

const DAY = 86_400_000;

export interface ExpiryWarning {
  store: 'certificates' | 'trustStore';
  alias: string;
  subject: string;
  validUntil: number;
  daysLeft: number;
  state: 'expiring' | 'expired' | 'not_yet_valid';
  message: string;
  /** A certificate the listeners serve (web server or SNI): expired or not yet valid, it is an error. */
  inUse: boolean;
}

export interface HealthReport {
  status: 'ok' | 'warning';
  warnings: ExpiryWarning[];
}

function message(w: Omit<ExpiryWarning, 'message' | 'inUse'>): string {
  const what = w.store === 'certificates' ? 'certificate' : 'trusted certificate';
  const date = new Date(w.validUntil).toISOString().slice(0, 10);
  if (w.state === 'expired')
    return `The ${what} '${w.alias}' (${w.subject}) expired on ${date}: ${w.store === 'certificates' ? 'renew it (generate a CSR and import the reply, or import a new PKCS#12) and switch to it' : 'import the renewed CA certificate and remove this one'}.`;
  if (w.state === 'not_yet_valid')
    return `The ${what} '${w.alias}' (${w.subject}) is not valid yet: check the clock of this machine.`;
  return `The ${what} '${w.alias}' (${w.subject}) expires in ${w.daysLeft} day(s), on ${date}: ${w.store === 'certificates' ? 'renew it before then' : 'import its successor before then'}.`;
}

/** Certificates of both stores that are expired, not yet valid, or expire within tls.expiryWarningDays. */
export async function expiryWarnings(
  ctx: Pick<PkiContext, 'db' | 'config' | 'usage'>,
): Promise<ExpiryWarning[]> {
  const out: ExpiryWarning[] = [];
  const add = (
    store: ExpiryWarning['store'],
    e: { alias: string; subject: string; validUntil: number; daysLeft: number; expiryState: string },
    inUse: boolean,
  ) => {
    if (e.expiryState === 'valid') return;
    const w = {
      store,
      alias: e.alias,
      subject: e.subject,
      validUntil: e.validUntil,
      daysLeft: e.daysLeft,
      state: e.expiryState as ExpiryWarning['state'],
    };
    out.push({ ...w, message: message(w), inUse });
  };
  for (const c of (await listCertificates(ctx)).certificates) add('certificates', c, c.inUse);
  for (const t of await listTrustStore(ctx)) add('trustStore', t, false);
  return out;
}

/** Whether a finding stops the node from serving its clients (not a warning to act on). */
export function isError(w: ExpiryWarning): boolean {
  return w.inUse && w.state !== 'expiring';
}

/**
 * portaladmin/healthCheck: 'ok', or 'warning' with what needs attention soon (a certificate
 * about to expire, an expired one that nothing serves). A certificate the node serves that is
 * expired or not yet valid is an error (pki.served_certificate_invalid, HTTP 503): monitoring
 * sees the status, and the answer still lists every finding under `warnings`.
 */
export async function healthReport(ctx: Pick<PkiContext, 'db' | 'config' | 'usage'>): Promise<HealthReport> {
  const warnings = await expiryWarnings(ctx);
  const errors = warnings.filter(isError);
  if (errors.length)
    throw new MeridianError(
      ServedCertificateInvalid,
      errors.length === 1
        ? `A certificate this node serves cannot be trusted by its clients: ${errors[0]!.message}`
        : `${errors.length} certificates this node serves cannot be trusted by their clients.`,
      { details: errors.length === 1 ? [] : errors.map((e) => e.message), data: { warnings } },
    );
  return { status: warnings.length ? 'warning' : 'ok', warnings };
}

/** Logs the warnings now and once a day; returns the function that stops it. */
export function startExpiryMonitor(ctx: Pick<PkiContext, 'db' | 'config' | 'log' | 'usage'>): () => void {
  const check = async () => {
    try {
      for (const w of await expiryWarnings(ctx))
        ctx.log.warn(
          { store: w.store, alias: w.alias, validUntil: new Date(w.validUntil).toISOString() },
          w.message,
        );
    } catch (err) {
      ctx.log.error({ err }, 'checking certificate expiry failed');
    }
  };
  void check();
  const timer = setInterval(() => void check(), DAY);
  timer.unref();
  return () => clearInterval(timer);
}
