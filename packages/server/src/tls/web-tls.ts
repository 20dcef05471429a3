import { createSecureContext, type SecureContext, type SecureContextOptions } from 'node:tls';
import { DEFAULT_WEB_ALIAS, type WebCertificate } from '../pki/module.ts';
import type { TlsContext } from './context.ts';
import { TicketKeyRing } from './ticket-key-ring.ts';
import { TICKET_KEY_LIFETIME_MS, ticketKeysAt, ticketPeriod } from './ticket-keys.ts';
import { readTlsSettings, secureOptions, type TlsSettings } from './tls-settings.ts';
import { TLS_SETTINGS_TOPIC } from './topics.ts';

const DAY = 86_400_000;
/**
 * The same on every node, so that a session made with one node resumes on another (Node
 * derives the default from the process's command line, which differs between nodes).
 */
export const SESSION_ID_CONTEXT = 'meridian';

type Ctx = Pick<TlsContext, 'db' | 'box' | 'config' | 'bus' | 'log' | 'pki'>;

interface Installed {
  cert: WebCertificate;
  context: SecureContext;
  options: SecureContextOptions;
}

/**
 * The certificates this node serves: the web server certificate (by alias, from the HTTPS
 * settings) and one per SNI host name. Loaded from the store; the default one is issued by the
 * local CA on first start; certificates issued by the local CA are renewed well before they
 * expire; everything is swapped into the live listener (no restart) whenever any node changes
 * a certificate or a setting.
 */
export class WebTls {
  #default: Installed | undefined;
  #sni = new Map<string, Installed>();
  #settings: TlsSettings | undefined;
  readonly tickets = new TicketKeyRing();
  #timer: NodeJS.Timeout | undefined;
  #boundary: NodeJS.Timeout | undefined;
  #warnedNoOverlap = false;
  #reloading: Promise<void> | undefined;
  #again: Promise<void> | undefined;
  readonly #ctx: Ctx;
  readonly #onSwap = new Set<() => void>();

  constructor(ctx: Ctx) {
    this.#ctx = ctx;
  }

  #log(msg: string, extra: Record<string, unknown> = {}): void {
    this.#ctx.log.warn(extra, msg);
  }

  get secureContext(): SecureContext {
    if (!this.#default) throw new Error('WebTls.start() has not run');
    return this.#default.context;
  }

  /** The context for a client's SNI name: its own certificate if one is configured. */
  contextFor(servername: string | undefined): SecureContext {
    const name = servername?.toLowerCase();
    if (name) {
      const exact = this.#sni.get(name);
      if (exact) return exact.context;
      const dot = name.indexOf('.');
      const wildcard = dot > 0 ? this.#sni.get(`*${name.slice(dot)}`) : undefined;
      if (wildcard) return wildcard.context;
    }
    return this.secureContext;
  }

  get certificate(): WebCertificate | undefined {
    return this.#default?.cert;
  }

  get settings(): TlsSettings | undefined {
    return this.#settings;
  }

  /** Options of the default context, for the server's own (no-SNI) context. */
  get contextOptions(): SecureContextOptions {
    if (!this.#default) throw new Error('WebTls.start() has not run');
    return this.#default.options;
  }

  onSwap(fn: () => void): void {
    this.#onSwap.add(fn);
  }

  async start(): Promise<void> {
    await this.reload();
    const reload = () =>
      void this.reload().catch((err) =>
        this.#log('reloading TLS failed; still serving the previous certificates', { err }),
      );
    this.#ctx.bus.watch(['pki.certificate', TLS_SETTINGS_TOPIC], reload);
    // Every 10 minutes: renew certificates that are due, and refresh the ticket keys (a node
    // that missed a boundary, or found the database down at it, catches up).
    this.#scheduleBoundary();
    this.#timer = setInterval(
      () => void this.tick().catch((err) => this.#log('TLS maintenance failed', { err })),
      600_000,
    );
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    if (this.#boundary) clearTimeout(this.#boundary);
  }

  async tick(): Promise<void> {
    await this.renewIfDue();
    await this.refreshTicketKeys();
  }

  /**
   * Installs the ticket keys of the period `now` falls in: every node derives the same period
   * from the clock and the same keys from the database, so they switch together and each still
   * accepts the previous and next periods' tickets.
   */
  async refreshTicketKeys(now = Date.now()): Promise<void> {
    const before = this.tickets.issuing;
    this.tickets.set(await ticketKeysAt(this.#ctx, now), ticketPeriod(now));
    // Without the ticket-key callback the key is baked into each context: rebuild them.
    if (!this.tickets.overlap && before?.period !== this.tickets.issuing?.period) await this.reload();
  }

  /** Refreshes the ticket keys just after each period boundary. */
  #scheduleBoundary(): void {
    const wait = (ticketPeriod(Date.now()) + 1) * TICKET_KEY_LIFETIME_MS - Date.now() + 1_000;
    this.#boundary = setTimeout(() => {
      this.refreshTicketKeys()
        .catch((err) => this.#log('refreshing TLS ticket keys failed', { err }))
        .finally(() => this.#scheduleBoundary());
    }, wait);
    this.#boundary.unref();
  }

  /**
   * Reloads settings and certificates and installs them. A call while a reload runs gets one
   * more reload after it (shared by every call meanwhile): the running one may have read the
   * store before the change that prompted the call.
   */
  reload(): Promise<void> {
    if (this.#reloading) {
      this.#again ??= this.#reloading
        .catch(() => {})
        .then(() => {
          this.#again = undefined;
          return this.reload();
        });
      return this.#again;
    }
    this.#reloading = this.#reload().finally(() => {
      this.#reloading = undefined;
    });
    return this.#reloading;
  }

  async #reload(): Promise<void> {
    const settings = await readTlsSettings(this.#ctx.db.kysely);
    if (!this.tickets.issuing) await this.refreshTicketKeys();
    let cert = await this.#ctx.pki.loadCertificate(settings.webServerCertificateAlias);
    if (!cert && settings.webServerCertificateAlias === DEFAULT_WEB_ALIAS)
      cert = await this.#ctx.pki.firstFromLocalCa(DEFAULT_WEB_ALIAS, this.#ctx.pki.webServerNames());
    if (!cert) {
      this.#log(
        `web server certificate '${settings.webServerCertificateAlias}' has no key in the store; serving the previous one`,
      );
      if (this.#default) return;
      cert = await this.#ctx.pki.firstFromLocalCa(DEFAULT_WEB_ALIAS, this.#ctx.pki.webServerNames());
    }
    const sni = new Map<string, Installed>();
    for (const [host, alias] of Object.entries(settings.sniCertificates)) {
      const c = await this.#ctx.pki.loadCertificate(alias);
      if (c) sni.set(host.toLowerCase(), this.#build(c, settings));
      else
        this.#log(`SNI certificate '${alias}' for ${host} is missing; ${host} gets the default certificate`);
    }
    this.#settings = settings;
    this.#default = this.#build(cert, settings);
    this.#sni = sni;
    if (!this.tickets.overlap && !this.#warnedNoOverlap) {
      this.#warnedNoOverlap = true;
      this.#log(
        'this Node.js has no TLS ticket-key callback: tickets sealed before a ticket key rotation need a full handshake after it',
      );
    }
    for (const fn of this.#onSwap) fn();
    await this.#renewDue(Date.now());
  }

  #build(cert: WebCertificate, settings: TlsSettings): Installed {
    const options: SecureContextOptions = {
      key: cert.keyPem,
      cert: cert.certChainPem,
      ...secureOptions(settings),
      honorCipherOrder: true,
      sessionIdContext: SESSION_ID_CONTEXT,
    };
    const context = createSecureContext(options);
    this.tickets.attach(context);
    return { cert, options, context };
  }

  /** Re-issues local-CA certificates that expire within the renewal window, tells every node, and installs them. */
  async renewIfDue(now = Date.now()): Promise<boolean> {
    const renewed = await this.#renewDue(now);
    if (renewed) await this.reload();
    return renewed;
  }

  /**
   * The renewal itself. Inside a reload it must not wait for a reload (that would wait for
   * itself): the change event it publishes brings the follow-up reload.
   */
  async #renewDue(now: number): Promise<boolean> {
    const { renewBeforeDays, serverCertDays } = this.#ctx.config.tls;
    // The renewal window never covers a whole lifetime (which would renew in a loop).
    const window = Math.min(renewBeforeDays, serverCertDays / 2) * DAY;
    const due = [this.#default, ...this.#sni.values()]
      .map((i) => i?.cert)
      .filter((c): c is WebCertificate => Boolean(c?.issuedByLocalCa && c.notAfter - now <= window));
    if (due.length === 0) return false;
    for (const cert of new Map(due.map((c) => [c.alias, c])).values()) {
      const names = cert.alias === DEFAULT_WEB_ALIAS ? this.#ctx.pki.webServerNames() : cert.names;
      const renewed = await this.#ctx.pki.issueFromLocalCa(cert.alias, names);
      this.#ctx.log.info(
        { alias: cert.alias, notAfter: new Date(renewed.notAfter).toISOString() },
        'renewed a certificate issued by the portal CA',
      );
    }
    await this.#ctx.bus.publish('pki.certificate', {});
    return true;
  }
}
