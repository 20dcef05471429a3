import { defineError, MeridianError } from '../kernel/errors/meridian-error.ts';

export const UploadsBusy = defineError({
  code: 'request.busy',
  status: 503,
  summary: 'The portal is holding as many unauthenticated uploads in memory as it allows.',
  fix: 'Send the token before the file (Authorization: Bearer header, or a token field before the file part), or try again shortly.',
});

/**
 * Memory that file parts may occupy, across all requests of a process, while their caller is
 * not known yet (a token that comes after the file). Bounded, so that anonymous clients
 * cannot make the portal hold more than this much.
 */
export class UploadBudget {
  #used = 0;
  readonly maxBytes: number;

  constructor(maxBytes: number) {
    this.maxBytes = maxBytes;
  }

  get used(): number {
    return this.#used;
  }

  take(bytes: number): void {
    if (this.#used + bytes > this.maxBytes)
      throw new MeridianError(
        UploadsBusy,
        `The portal already holds ${this.maxBytes} bytes of uploads from callers it does not know yet. Send the token before the file (an Authorization: Bearer header), or try again shortly.`,
      );
    this.#used += bytes;
  }

  give(bytes: number): void {
    this.#used = Math.max(0, this.#used - bytes);
  }
}
