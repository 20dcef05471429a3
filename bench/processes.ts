/**
 * The processes a benchmark runs: the portal through its own `meridian start` command, and
 * peers. Each benchmark keeps its children in a list and stops them (by their handle) at the end.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { Agent, fetch } from 'undici';

/** A port that was free a moment ago on 127.0.0.1 (so that two runs never share one). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Keeps the last `max` characters a child wrote, for the message when it fails. */
function tail(child: ChildProcess, max = 4000): () => string {
  let buf = '';
  const keep = (d: Buffer) => {
    buf = (buf + d.toString()).slice(-max);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return () => buf;
}

export interface PortalProcess {
  child: ChildProcess;
  /** https://localhost:PORT */
  base: string;
  port: number;
  /** A dispatcher trusting the portal's CA only. */
  dispatcher: Agent;
}

/**
 * Starts `meridian start` on a prepared data directory (HTTPS only, loopback) and waits until
 * its Sharing API answers over HTTPS verified against the portal's CA.
 */
export async function startPortalProcess(opts: {
  home: string;
  caPem: string;
  children: ChildProcess[];
  env?: Record<string, string>;
}): Promise<PortalProcess> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      '--disable-warning=ExperimentalWarning',
      'packages/cli/src/main.ts',
      'start',
      '--home',
      opts.home,
      '--https-port',
      String(port),
      '--http-mode',
      'off',
      '--bind',
      '127.0.0.1',
    ],
    {
      env: { ...process.env, MERIDIAN_LOG_LEVEL: 'warn', ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  opts.children.push(child);
  const output = tail(child);
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code, signal) =>
      reject(new Error(`the portal exited (${signal ?? code}) before it answered:\n${output()}`)),
    ),
  );
  exited.catch(() => {});
  const dispatcher = new Agent({ connect: { ca: opts.caPem } });
  const base = `https://localhost:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    const answered = await Promise.race([
      fetch(`${base}/sharing/rest/info?f=json`, { dispatcher }).then(
        (r) => r.ok,
        () => false,
      ),
      exited,
    ]);
    if (answered) return { child, base, port, dispatcher };
    if (Date.now() > deadline) throw new Error(`the portal did not answer within 60 s:\n${output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Stops the children this benchmark started and waits for them to exit. */
export async function stopChildren(children: ChildProcess[]): Promise<void> {
  await Promise.all(
    children.map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.exitCode !== null || c.signalCode !== null) return resolve();
          const force = setTimeout(() => c.kill('SIGKILL'), 5000);
          c.once('exit', () => {
            clearTimeout(force);
            resolve();
          });
          c.kill('SIGTERM');
        }),
    ),
  );
}
