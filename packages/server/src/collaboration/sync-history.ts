/**
 * What a sync run did, as its history shows it: each item moved (direction, operation, local
 * and origin ids), each error with its code, message and diagnosis, and each version a
 * concurrent edit overwrote (last writer wins by the source's modified time), and each copy that
 * arrived as a reference instead, with why (a feature service this portal could not publish). Bounded: past
 * MAX entries per list only the counts grow.
 */
import type { PartnerDiagnosis } from './partner-http.ts';

const MAX = 500;

export interface Moved {
  direction: 'received' | 'sent';
  op: 'created' | 'updated' | 'deleted' | 'unsynced' | 'removed';
  as?: 'copy' | 'reference' | undefined;
  originItemId: string;
  itemId?: string | undefined;
  title?: string | undefined;
  /** The item's data size (the bytes transferred are counted as they move: counts.bytes). */
  bytes?: number | undefined;
}

export interface SyncError {
  code: string;
  message: string;
  originItemId?: string | undefined;
  diagnosis?: PartnerDiagnosis | undefined;
  /** A refused partner certificate: the one to confirm (participants/<id>/validate, trustPresentedCertificate). */
  fingerprintToConfirm?: string | undefined;
}

export interface Overwritten {
  originItemId: string;
  itemId: string;
  /** Which version won. */
  kept: 'incoming' | 'local';
  /** The version that lost: its title and modified time. */
  lost: { title: string; modified: number; from: 'local' | 'partner' };
}

export class SyncHistory {
  readonly moved: Moved[] = [];
  /** Copies that arrived as references instead (the sender allowed it), each with why. */
  readonly fallbacks: SyncError[] = [];
  readonly errors: SyncError[] = [];
  readonly overwritten: Overwritten[] = [];
  readonly counts = {
    received: 0,
    sent: 0,
    deleted: 0,
    skipped: 0,
    errors: 0,
    overwritten: 0,
    /** Copies kept as references because they could not be made here (fallbacks). */
    fallbacks: 0,
    bytes: 0,
    /** Data files whose transfer completed (counted as each arrives, before its batch is applied). */
    files: 0,
    calls: 0,
  };

  move(m: Moved): void {
    if (m.direction === 'received') this.counts.received++;
    else this.counts.sent++;
    if (m.op === 'deleted' || m.op === 'removed' || m.op === 'unsynced') this.counts.deleted++;
    if (this.moved.length < MAX) this.moved.push(m);
  }

  error(e: SyncError): void {
    this.counts.errors++;
    if (this.errors.length < MAX) this.errors.push(e);
  }

  overwrite(o: Overwritten): void {
    this.counts.overwritten++;
    if (this.overwritten.length < MAX) this.overwritten.push(o);
  }

  fallback(e: SyncError): void {
    this.counts.fallbacks++;
    if (this.fallbacks.length < MAX) this.fallbacks.push(e);
  }

  toJSON() {
    return {
      moved: this.moved,
      errors: this.errors,
      overwritten: this.overwritten,
      fallbacks: this.fallbacks,
    };
  }
}
