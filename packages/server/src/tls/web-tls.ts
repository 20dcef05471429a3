import { createSecureContext, type SecureContext } from 'node:tls';
import type { AppContext } from '../http/context.ts';
import {
  DEFAULT_WEB_ALIAS,
  issueFromLocalCa,
  loadCertificate,
  type WebCertificate,
  webServerNames,
} from '../pki/local-ca-store.ts';
import { DEFAULT_CIPHERS, DEFAULT_MIN_VERSION } from './policy.ts';
import { currentTicketKey } from './ticket-keys.ts';

const DAY = 86_400_000;
export const WEB_CERT_TOPIC = 'tls.web_certificate';

type Ctx = Pick<AppContext, 'db' | 'box' | 'config' | 'bus'>;

/**
 * The web server certificate of this node: loaded from the store, issued by the local CA on
 * first start, renewed well before it expires, and swapped into the live listener (no restart)
 * whenever any node changes it.
 */
export class WebTls {
  #context: SecureContext | undefined;
  #current: WebCertificate | undefined;
  #ticketKey: Buffer | undefined;
  #timer: NodeJS.Timeout | undefined;
  readonly #ctx: Ctx;
  readonly #onSwap = new Set<(ctx: SecureContext) => void>();
  readonly #log: (msg: string, extra?: Record<string, unknown>) => void;

  constructor(ctx: Ctx, log: (msg: string, extra?: Record<string, unknown>) => void = () => {}) {
    this.#ctx = ctx;
    this.#log = log;
  }

  get secureContext(): SecureContext {
    if (!this.#context) throw new Error('WebTls.start() has not run');
    return this.#context;
  }

  get certificate(): WebCertificate | undefined {
    return this.#current;
  }

  /** The options of the installed context, for the server's default (no-SNI) context. */
  get contextOptions(): import('node:tls').SecureContextOptions {
    const cert = this.#current!;
    return {
      key: cert.keyPem,
      cert: cert.certChainPem,
      minVersion: DEFAULT_MIN_VERSION,
      ciphers: DEFAULT_CIPHERS,
      honorCipherOrder: true,
      ...(this.#ticketKey ? { ticketKeys: this.#ticketKey } : {}),
    };
  }

  onSwap(fn: (ctx: SecureContext) => void): void {
    this.#onSwap.add(fn);
  }

  async start(): Promise<void> {
    await this.reload();
    this.#ctx.bus.on(
      WEB_CERT_TOPIC,
      () => void this.reload().catch((err) => this.#log('reloading the web certificate failed', { err })),
    );
    this.#timer = setInterval(
      () => void this.renewIfDue().catch((err) => this.#log('renewal failed', { err })),
      3_600_000,
    );
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
  }

  async tick(): Promise<void> {
    await this.renewIfDue();
    const key = await currentTicketKey(this.#ctx);
    if (!this.#ticketKey?.equals(key) && this.#current) {
      this.#ticketKey = key;
      this.#install(this.#current);
    }
  }

  /** Loads the stored certificate (issuing the default one if none) and installs it. */
  async reload(): Promise<void> {
    let cert = await loadCertificate(this.#ctx, DEFAULT_WEB_ALIAS);
    if (!cert) cert = await issueFromLocalCa(this.#ctx, DEFAULT_WEB_ALIAS, webServerNames(this.#ctx));
    this.#ticketKey = await currentTicketKey(this.#ctx);
    this.#install(cert);
    await this.renewIfDue();
  }

  /** Re-issues a local-CA certificate that expires within tls.renewBeforeDays, and tells every node. */
  async renewIfDue(now = Date.now()): Promise<boolean> {
    const cert = this.#current;
    if (!cert?.issuedByLocalCa) return false;
    // The renewal window never covers a whole lifetime (which would renew in a loop).
    const { renewBeforeDays, serverCertDays } = this.#ctx.config.tls;
    const window = Math.min(renewBeforeDays, serverCertDays / 2) * DAY;
    if (cert.notAfter - now > window) return false;
    const renewed = await issueFromLocalCa(this.#ctx, cert.alias, webServerNames(this.#ctx));
    this.#install(renewed);
    this.#log('renewed the web server certificate', {
      alias: cert.alias,
      notAfter: new Date(renewed.notAfter).toISOString(),
    });
    await this.#ctx.bus.publish(WEB_CERT_TOPIC, { alias: cert.alias });
    return true;
  }

  #install(cert: WebCertificate): void {
    this.#current = cert;
    this.#context = createSecureContext(this.contextOptions);
    for (const fn of this.#onSwap) fn(this.#context);
  }
}
