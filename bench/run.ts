// npm run bench -- NAME: runs one benchmark; each prints peer and Meridian side by side.
const benches: Record<string, () => Promise<unknown>> = {
  http: () => import('./http.ts'),
  tls: () => import('./tls.ts'),
};

const name = process.argv[2];
if (!name || !benches[name]) {
  console.error(`usage: npm run bench -- <${Object.keys(benches).join('|')}>`);
  process.exit(2);
}
await benches[name]!();
