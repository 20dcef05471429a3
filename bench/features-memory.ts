/**
 * Peak resident memory of the features bench's child processes, from Linux's
 * /proc/<pid>/status (VmHWM, the peak RSS since start or since the last reset) and
 * /proc/<pid>/clear_refs (writing 5 resets the peak to the current RSS, so that the peak of a
 * phase can be read apart from the one before it). Elsewhere every figure is null.
 */
import { readFileSync, writeFileSync } from 'node:fs';

/** The peak RSS of a running process in MB, or null when /proc does not say. */
export function peakRssMb(pid: number): number | null {
  try {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** Resets a process's peak RSS to its current RSS; false when it cannot be reset. */
export function resetPeakRss(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** Peaks of a process's resident memory, MB: all of it (VmHWM), and the largest anonymous and file-backed parts seen. */
export interface RssPeaks {
  total: number | null;
  /** The heap and other private memory (RssAnon), the largest sample. */
  anon: number | null;
  /** Mapped files: the node binary, SQLite's memory-mapped database pages (RssFile), the largest sample. */
  file: number | null;
}

function sample(pid: number): { hwm: number; anon: number; file: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) =>
      Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN) / 1024;
    const s = { hwm: kb('VmHWM'), anon: kb('RssAnon'), file: kb('RssFile') };
    return Number.isNaN(s.hwm) ? null : s;
  } catch {
    return null;
  }
}

/**
 * Samples a process's memory every `everyMs` until stopped or the process is gone (a
 * short-lived child's /proc entry goes with it). The total is the last VmHWM read (monotonic:
 * the peak up to at most `everyMs` before the exit); the parts are the largest samples.
 */
export function watchRss(pid: number, everyMs = 20): { peaks(): RssPeaks; stop(): RssPeaks } {
  const peaks: RssPeaks = { total: null, anon: null, file: null };
  const read = () => {
    const s = sample(pid);
    if (!s) return;
    peaks.total = s.hwm;
    peaks.anon = Math.max(peaks.anon ?? 0, s.anon);
    peaks.file = Math.max(peaks.file ?? 0, s.file);
  };
  read();
  const timer = setInterval(read, everyMs);
  return {
    peaks: () => ({ ...peaks }),
    stop: () => {
      clearInterval(timer);
      read();
      return { ...peaks };
    },
  };
}

/** '992 MB (anonymous 310, file-backed 690)', or '-' when unknown. */
export const peaksText = (p: RssPeaks): string =>
  p.total === null
    ? '-'
    : `${p.total.toFixed(0)} MB (anonymous ≤ ${p.anon?.toFixed(0) ?? '-'}, file-backed ≤ ${p.file?.toFixed(0) ?? '-'})`;

/** '123 MB', or '-' when unknown. */
export const mbText = (mb: number | null): string => (mb === null ? '-' : `${mb.toFixed(0)} MB`);
