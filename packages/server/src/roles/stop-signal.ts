/**
 * How a serving role command waits to stop: the first of SIGINT and SIGTERM. Its own file, so
 * that the GIS server's commands do not load the portal role (and its modules) to get it.
 */

/** Resolves with the name of the first of SIGINT and SIGTERM the process receives. */
export function stopSignal(): Promise<string> {
  return new Promise((resolve) => {
    const stop = (signal: string) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
