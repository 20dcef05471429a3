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

/**
 * Reads a process's peak RSS every `everyMs` until stopped or the process is gone: for a
 * short-lived child, whose /proc entry is gone once it has exited. `peak()` is the last figure
 * read (the peak is monotonic, so it is the peak up to at most `everyMs` before the exit).
 */
export function watchPeakRss(pid: number, everyMs = 20): { peak(): number | null; stop(): void } {
  let last: number | null = null;
  const read = () => {
    last = peakRssMb(pid) ?? last;
  };
  read();
  const timer = setInterval(read, everyMs);
  return {
    peak: () => last,
    stop: () => clearInterval(timer),
  };
}

/** '123 MB', or '-' when unknown. */
export const mbText = (mb: number | null): string => (mb === null ? '-' : `${mb.toFixed(0)} MB`);
