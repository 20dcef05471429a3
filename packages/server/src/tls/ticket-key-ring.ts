import { randomBytes } from 'node:crypto';
import type { SecureContext, Server as TlsServer } from 'node:tls';
import type { TicketKey } from './ticket-keys.ts';

/**
 * Node's native secure context. `ticketKeys` holds a single key, so a ticket sealed with the
 * previous key would need a full handshake after every rotation. The native context's ticket-key
 * callback (present since Node 0.x, kept for Node's own test of ticket renewal, not documented)
 * lets a server choose the key per ticket: that is what gives rotation its overlap.
 */
interface NativeContext {
  enableTicketKeyCallback?: () => void;
  setTicketKeys(keys: Buffer): void;
  onticketkeycallback?: (name: Buffer, iv: Buffer, encrypt: boolean) => unknown[];
}

const NAME = [0, 16] as const;
const HMAC = [16, 32] as const;
const AES = [32, 48] as const;
/** OpenSSL's answers: 0 no such key (full handshake), 1 use it, 2 use it and issue a fresh ticket. */
const UNKNOWN = 0;
const CURRENT = 1;
const RENEW = 2;
const NONE = Buffer.alloc(16);

const part = (key: Buffer, [from, to]: readonly [number, number]) => key.subarray(from, to);

/**
 * The ticket keys one node uses: tickets are sealed with the issuing period's key; tickets
 * sealed with any other key of the ring (the previous period's, or the next one's from a node
 * whose clock is slightly ahead) are still accepted and replaced by a ticket under the issuing
 * key. Every secure context of the node reads the same ring, so a refresh needs no rebuild.
 */
export class TicketKeyRing {
  #issuing: TicketKey | undefined;
  #byName = new Map<string, TicketKey>();
  /** False when this Node has no ticket-key callback: contexts then get the issuing key only. */
  #overlap = true;

  get issuing(): TicketKey | undefined {
    return this.#issuing;
  }

  get periods(): number[] {
    return [...this.#byName.values()].map((k) => k.period).sort((a, b) => a - b);
  }

  /** Whether tickets of the ring's other keys are accepted (false: this Node lacks the hook). */
  get overlap(): boolean {
    return this.#overlap;
  }

  /** Installs the keys of `period`'s ring: issue with `period`'s key, accept all of them. */
  set(keys: TicketKey[], period: number): void {
    const sorted = [...keys].sort((a, b) => a.period - b.period);
    // The period's own key; if it is somehow missing, the newest key before it.
    const issuing = sorted.filter((k) => k.period <= period).at(-1) ?? sorted[0];
    if (!issuing) throw new Error('no TLS ticket key to install');
    this.#byName = new Map(sorted.map((k) => [part(k.key, NAME).toString('hex'), k]));
    this.#issuing = issuing;
  }

  /** Makes a secure context seal and open tickets with this ring. Returns false without overlap. */
  attach(context: SecureContext): boolean {
    const native = (context as unknown as { context: NativeContext }).context;
    if (typeof native.enableTicketKeyCallback !== 'function') {
      this.#overlap = false;
      if (this.#issuing) native.setTicketKeys(this.#issuing.key);
      return false;
    }
    native.enableTicketKeyCallback();
    native.onticketkeycallback = (name, _iv, encrypt) => this.#select(name, encrypt);
    return true;
  }

  /** The same for a server's own context (clients that send no SNI), after each setSecureContext. */
  attachToServer(server: TlsServer): boolean {
    const creds = (server as TlsServer & { _sharedCreds?: SecureContext })._sharedCreds;
    return creds ? this.attach(creds) : false;
  }

  #select(name: Buffer, encrypt: boolean): unknown[] {
    const issuing = this.#issuing;
    if (encrypt) {
      if (!issuing) return [UNKNOWN, NONE, NONE, NONE, NONE];
      const k = issuing.key;
      return [CURRENT, part(k, HMAC), part(k, AES), part(k, NAME), randomBytes(16)];
    }
    const found = this.#byName.get(name.toString('hex'));
    // Native code reads both key parts even for an unknown name, so they are always given.
    if (!found) return [UNKNOWN, NONE, NONE];
    return [found === issuing ? CURRENT : RENEW, part(found.key, HMAC), part(found.key, AES)];
  }
}
