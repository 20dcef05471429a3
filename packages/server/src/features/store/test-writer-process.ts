/**
 * For store-writers.test.ts: a process that starts writing a layer and never finishes it.
 * argv: <home> [<postgres url> <schema>]. It appends one batch, prints "writing", then waits to
 * be killed (a publishing process that dies mid-write).
 */
import { openFeatureStore } from './open-store.ts';

const [home, pgUrl, pgSchema] = process.argv.slice(2);
const store = await openFeatureStore({ home: home!, ...(pgUrl ? { pgUrl, pgSchema } : {}) });
const writer = await store.createLayer('dying', {
  id: 0,
  name: 'Dying',
  geometryType: 'esriGeometryPoint',
  wkid: 4326,
  fields: [],
});
await writer.append([{ attributes: {}, geometry: { x: 1, y: 2 } }]);
process.stdout.write('writing\n');
setInterval(() => {}, 60_000);
