/**
 * The entry point of the `meridian` command (npm run meridian, npm start, and the bin shim).
 * It reads how it was started, quiets Node's experimental-feature warning, then loads the
 * program: the imports come after, so that the warning filter is in place first.
 */
import { quietExperimentalWarnings } from './quiet-warnings.ts';

quietExperimentalWarnings();

/**
 * npm runs the package's scripts (npm run meridian, npm start) in the repository root and
 * passes the directory the user typed the command in as INIT_CWD; relative paths on the
 * command line belong to that directory. Started any other way, it is the current directory.
 */
function invoker(env: NodeJS.ProcessEnv): { cwd: string; self: string } {
  const script = env.npm_lifecycle_event === 'meridian' || env.npm_lifecycle_event === 'start';
  if (script && env.INIT_CWD) return { cwd: env.INIT_CWD, self: 'npm run --silent meridian --' };
  return { cwd: process.cwd(), self: 'meridian' };
}

const { run } = await import('./run.ts');
const io = { ...invoker(process.env), stdout: process.stdout, stderr: process.stderr, stdin: process.stdin };
const argv = process.argv.slice(2);
if (argv[0] === 'server') {
  // `meridian server …`: the GIS server role; on its own (or with only settings flags) it starts one.
  const { gisServerCli } = await import('@meridian/server/roles/gis-server-commands.ts');
  const { jobsCommands } = await import('./commands/jobs-commands.ts');
  const rest = argv.slice(1);
  const words = rest[0] === undefined || rest[0].startsWith('-') ? ['start', ...rest] : rest;
  const help = rest[0] === '--help' || rest[0] === '-h' ? ['help'] : words;
  process.exitCode = await run(help, { ...io, self: `${io.self} server` }, gisServerCli(jobsCommands()));
} else {
  const { portalCli } = await import('@meridian/server/roles/portal-commands.ts');
  const { jobsCommands } = await import('./commands/jobs-commands.ts');
  process.exitCode = await run(argv, io, portalCli(jobsCommands()));
}
