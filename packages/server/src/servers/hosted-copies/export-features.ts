/**
 * The features of a service of a federated server, exported as one GeoJSON file (for a
 * collaboration copy of a Feature Service item): the service's one layer (or table) queried
 * page by page (where=1=1, outFields=*, ordered by the object id, resultOffset/resultRecordCount
 * up to the layer's maxRecordCount, until the server no longer says exceededTransferLimit),
 * through the guarded client with an administrator server token minted for each call. Each page
 * is written to the file as it arrives: the layer is never held whole. The object id is the
 * server's own key and is left out (the receiver numbers its features itself). A service of
 * several layers is refused (servers.export_failed): a copy carries one GeoJSON file.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rename, unlink } from 'node:fs/promises';
import type { Kysely } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';
import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import { type ServersContext, tokenDeps } from '../context.ts';
import { normaliseServiceUrl } from '../federate.ts';
import { answerError, type Json, serverRequest, serviceOfUrl } from '../server-client.ts';
import { adminServerToken } from '../server-tokens.ts';
import { listServerRows, type ServerRow } from '../store.ts';
import { ServerExportFailed } from './errors.ts';

/** One page's answer is at most this large (a page is maxRecordCount features). */
const PAGE_BYTES = 64 * 1024 * 1024;

/** The federated server whose service the URL is, or undefined (another site's service). */
export async function serverOfService(
  ctx: ServersContext,
  url: string,
  db: Kysely<Database> = ctx.kernel.db.kysely,
): Promise<ServerRow | undefined> {
  let normal: string;
  try {
    normal = normaliseServiceUrl(url);
  } catch {
    return undefined;
  }
  const rows = await listServerRows(db);
  return rows.find((r) => serviceOfUrl(r.url, normal)?.type === 'FeatureServer');
}

function failed(url: string, why: string): MeridianError {
  return new MeridianError(
    ServerExportFailed,
    `The features of ${url.slice(0, 200)} could not be exported: ${why}. ${ServerExportFailed.fix}`,
  );
}

/**
 * Writes the service's features to `dest` (via a temporary file beside it, renamed when
 * complete); answers false when the URL is no service of a federated server (nothing written).
 */
export async function exportServiceFeatures(
  ctx: ServersContext,
  serviceUrl: string,
  dest: string,
  signal?: AbortSignal,
): Promise<boolean> {
  const server = await serverOfService(ctx, serviceUrl);
  if (!server) return false;
  const url = normaliseServiceUrl(serviceUrl);
  const get = async (path: string, params: Record<string, string>): Promise<Json> => {
    const token = await adminServerToken(tokenDeps(ctx), server.id, server.federated_by);
    if (!token) throw failed(url, 'the server was unfederated meanwhile');
    const q = new URLSearchParams({ f: 'json', ...params });
    const answer = await serverRequest(
      ctx.pki.outbound,
      `${url}${path}?${q}`,
      {
        headers: { accept: 'application/json', 'x-esri-authorization': `Bearer ${token}` },
        maxBytes: PAGE_BYTES,
        ...(signal ? { signal } : {}),
      },
      { name: `The federated server ${new URL(url).host}` },
    );
    const refused = answerError(answer);
    if (refused) throw failed(url, `the server answered: ${refused}`);
    return answer;
  };
  const service = await get('', {});
  const layers = [...((service.layers as Json[]) ?? []), ...((service.tables as Json[]) ?? [])];
  if (layers.length !== 1)
    throw failed(url, `the service has ${layers.length} layers and tables; a copy carries exactly one`);
  const layerId = Number(layers[0]!.id ?? 0);
  const layer = await get(`/${layerId}`, {});
  const oid = String(layer.objectIdField ?? 'OBJECTID');
  const pageSize = Math.max(1, Number(layer.maxRecordCount) || 1000);

  const part = `${dest}.${process.pid}.${Date.now()}.tmp`;
  const out = createWriteStream(part, { mode: 0o600 });
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  try {
    await write('{"type":"FeatureCollection","features":[');
    let offset = 0;
    for (let first = true; ; ) {
      const page = await get(`/${layerId}/query`, {
        f: 'geojson',
        where: '1=1',
        outFields: '*',
        returnGeometry: 'true',
        orderByFields: oid,
        resultOffset: String(offset),
        resultRecordCount: String(pageSize),
      });
      if (!Array.isArray(page.features)) throw failed(url, 'a query answered no feature list');
      for (const f of page.features as Json[]) {
        const { [oid]: _, ...properties } = (f.properties ?? {}) as Json;
        const feature = { type: 'Feature', geometry: f.geometry ?? null, properties };
        await write(`${first ? '' : ','}\n${JSON.stringify(feature)}`);
        first = false;
      }
      offset += page.features.length;
      const more = Boolean((page.properties as Json | undefined)?.exceededTransferLimit);
      if (!more || !page.features.length) break;
    }
    await write('\n]}\n');
    out.end();
    await once(out, 'close');
    await rename(part, dest);
    return true;
  } catch (err) {
    out.destroy();
    await unlink(part).catch(() => {});
    throw err;
  }
}
