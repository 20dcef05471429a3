/**
 * Node.js 24 prints "ExperimentalWarning: SQLite is an experimental feature" on every start of
 * a process that loads node:sqlite, which every `meridian` command does. This keeps Node's own
 * printer for every other warning and drops that kind. It must run before node:sqlite is
 * loaded: main.ts calls it first and imports the rest of the program afterwards.
 */
export function quietExperimentalWarnings(): void {
  const printers = process.listeners('warning');
  process.removeAllListeners('warning');
  process.on('warning', (warning) => {
    if (warning.name === 'ExperimentalWarning') return;
    for (const print of printers) print(warning);
  });
}
