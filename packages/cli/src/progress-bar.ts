import cliProgress from 'cli-progress';

export interface Progress {
  done: number;
  /** Unknown when null: a count without a bar. */
  total: number | null;
  message: string;
}

export interface ProgressBar {
  update(p: Progress): void;
  /** Draws the last state and ends the line. */
  stop(): void;
}

export interface ProgressBarOptions {
  /** Before the bar, e.g. the job's kind. */
  label: string;
  /** Default process.stderr (stdout stays for results). */
  stream?: NodeJS.WritableStream;
  /** On a stream that is not a terminal, one line per this many ms. Default 1000. */
  lineEveryMs?: number;
}

/**
 * A progress bar for a long operation (a job the CLI started or watches), drawn by
 * cli-progress: redrawn in place on a terminal; on a pipe or a file, one line now and then.
 */
export function progressBar(opts: ProgressBarOptions): ProgressBar {
  const bar = new cliProgress.SingleBar({
    stream: opts.stream ?? process.stderr,
    noTTYOutput: true,
    notTTYSchedule: opts.lineEveryMs ?? 1000,
    hideCursor: true,
    barsize: 30,
    format: (options, params, payload: { label: string; message: string; known: boolean }) => {
      const count = payload.known ? `${params.value}/${params.total}` : `${params.value} done`;
      const drawn = payload.known
        ? `[${cliProgress.Format.BarFormat(params.progress, options)}] ${Math.floor(params.progress * 100)}% `
        : '';
      return `${payload.label} ${drawn}${count}${payload.message ? ` | ${payload.message}` : ''}`;
    },
  });
  let started = false;
  return {
    update(p) {
      const payload = { label: opts.label, message: p.message, known: p.total !== null && p.total > 0 };
      const total = payload.known ? p.total! : Math.max(p.done, 1);
      if (!started) {
        started = true;
        bar.start(total, p.done, payload);
        return;
      }
      bar.setTotal(total);
      bar.update(p.done, payload);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
