/**
 * Institution logos for the chooser, served from the portal's origin. Logos are URLs from the
 * federation's verified metadata, but they point anywhere: the chooser page does not load
 * them from their hosts (that would tell every logo host who opens the portal's sign-in page,
 * and loosen the page's img-src to any https: origin). The portal fetches each through the
 * guarded outbound client (address deny-list, trust store, size and time limits), keeps only
 * PNG, JPEG, GIF, WebP and ICO recognised by their first bytes (never SVG: an image that can
 * carry script, served from the portal's origin), and caches them in memory (bounded) for a day;
 * a logo that cannot be had is remembered for an hour. data: logos embedded in the metadata are
 * decoded and checked the same way.
 */
import type { OutboundClient } from '../../kernel/outbound/guarded-client.ts';

export const MAX_LOGO_BYTES = 256 * 1024;
const DAY = 86_400_000;
const HOUR = 3_600_000;

export interface Logo {
  type: string;
  body: Buffer;
}

/** The image type by its first bytes, or undefined (SVG, HTML, anything else). */
export function sniffImage(b: Buffer): string | undefined {
  if (b.length >= 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return 'image/png';
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.length >= 6 && /^GIF8[79]a$/.test(b.subarray(0, 6).toString('latin1'))) return 'image/gif';
  if (
    b.length >= 12 &&
    b.subarray(0, 4).toString('latin1') === 'RIFF' &&
    b.subarray(8, 12).toString('latin1') === 'WEBP'
  )
    return 'image/webp';
  if (b.length >= 4 && b[0] === 0 && b[1] === 0 && b[2] === 1 && b[3] === 0) return 'image/x-icon';
  return undefined;
}

export class LogoCache {
  readonly #entries = new Map<string, { at: number; logo: Logo | null }>();
  readonly #pending = new Map<string, Promise<Logo | null>>();
  #bytes = 0;
  readonly #client: () => OutboundClient;
  readonly #now: () => number;
  readonly #maxBytes: number;

  constructor(client: () => OutboundClient, now: () => number, maxBytes = 32 * 1024 * 1024) {
    this.#client = client;
    this.#now = now;
    this.#maxBytes = maxBytes;
  }

  /** The logo at this URL (https: or data:), or null when it cannot be had or is not an image. */
  async get(url: string): Promise<Logo | null> {
    const hit = this.#entries.get(url);
    const t = this.#now();
    if (hit && t - hit.at < (hit.logo ? DAY : HOUR)) {
      // Most recently used last: the oldest are dropped first.
      this.#entries.delete(url);
      this.#entries.set(url, hit);
      return hit.logo;
    }
    let p = this.#pending.get(url);
    if (!p) {
      p = this.#load(url)
        .catch(() => null)
        .then((logo) => {
          this.#put(url, logo);
          return logo;
        })
        .finally(() => this.#pending.delete(url));
      this.#pending.set(url, p);
    }
    return await p;
  }

  async #load(url: string): Promise<Logo | null> {
    let body: Buffer;
    const data = /^data:image\/[a-z+.-]+;base64,([A-Za-z0-9+/=\s]+)$/i.exec(url);
    if (data) body = Buffer.from(data[1]!.replace(/\s+/g, ''), 'base64');
    else if (url.startsWith('https://')) {
      const r = await this.#client().request(url, {
        headers: { accept: 'image/png, image/jpeg, image/gif, image/webp, image/*;q=0.5' },
        maxBytes: MAX_LOGO_BYTES,
        timeoutMs: 5000,
      });
      if (r.status !== 200) return null;
      body = r.body;
    } else return null;
    if (body.length > MAX_LOGO_BYTES) return null;
    const type = sniffImage(body);
    return type ? { type, body } : null;
  }

  #put(url: string, logo: Logo | null): void {
    const old = this.#entries.get(url);
    if (old?.logo) this.#bytes -= old.logo.body.length;
    this.#entries.delete(url);
    this.#entries.set(url, { at: this.#now(), logo });
    this.#bytes += logo?.body.length ?? 0;
    for (const [k, v] of this.#entries) {
      if (this.#bytes <= this.#maxBytes && this.#entries.size <= 5000) break;
      this.#entries.delete(k);
      this.#bytes -= v.logo?.body.length ?? 0;
    }
  }
}
