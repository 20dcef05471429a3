import { badQuery } from './errors.ts';

/**
 * Spatial references a feature service accepts in inSR/outSR: WGS84 (4326), Web Mercator (3857,
 * with 102100/900913/102113 as its aliases), and the layer's own. Clients send a number or
 * `{"wkid":…}` / `{"latestWkid":…}` as JSON.
 */

export const WGS84 = 4326;
export const WEB_MERCATOR = 3857;

const ALIASES: Record<number, number> = { 102100: WEB_MERCATOR, 900913: WEB_MERCATOR, 102113: WEB_MERCATOR };

/** The canonical wkid of a wkid (102100 → 3857). */
export function canonicalWkid(wkid: number): number {
  return ALIASES[wkid] ?? wkid;
}

/** The wkids the projections know, besides the layer's own. */
export const PROJECTABLE = [WGS84, WEB_MERCATOR] as const;

/** A spatialReference object for a response: 3857 is answered as ArcGIS does, 102100 with latestWkid 3857. */
export function spatialReferenceJson(wkid: number): { wkid: number; latestWkid: number } {
  const c = canonicalWkid(wkid);
  return c === WEB_MERCATOR ? { wkid: 102100, latestWkid: WEB_MERCATOR } : { wkid: c, latestWkid: c };
}

/** The wkid in a spatialReference object ({wkid} or {latestWkid}), or undefined when it has none. */
export function wkidOf(sr: unknown): number | undefined {
  if (typeof sr !== 'object' || sr === null) return undefined;
  const o = sr as Record<string, unknown>;
  for (const key of ['latestWkid', 'wkid']) {
    const v = o[key];
    if (typeof v === 'number' && Number.isInteger(v) && v > 0) return canonicalWkid(v);
  }
  return undefined;
}

/**
 * Parses an inSR/outSR parameter (a number or JSON) into a canonical wkid that is supported
 * for a layer in `layerWkid`; undefined when the parameter is absent or empty.
 */
export function parseSpatialReference(
  param: string,
  raw: string | undefined,
  layerWkid: number,
): number | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const text = raw.trim();
  let wkid: number | undefined;
  if (/^\d+$/.test(text)) {
    wkid = canonicalWkid(Number(text));
  } else {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw badQuery(param, `expected a wkid such as 4326 or {"wkid":4326}, found '${clip(text)}'`);
    }
    wkid = wkidOf(parsed);
    if (wkid === undefined) {
      throw badQuery(param, `expected a spatial reference with a wkid or latestWkid, found '${clip(text)}'`);
    }
  }
  return checkSupported(param, wkid, layerWkid);
}

/** Throws unless `wkid` can be projected to and from the layer's spatial reference. */
export function checkSupported(param: string, wkid: number, layerWkid: number): number {
  const layer = canonicalWkid(layerWkid);
  if (wkid === layer) return wkid;
  const known =
    (PROJECTABLE as readonly number[]).includes(wkid) && (PROJECTABLE as readonly number[]).includes(layer);
  if (known) return wkid;
  const supported = [...new Set([layer, ...PROJECTABLE])].map((w) =>
    w === WEB_MERCATOR ? '3857 (102100)' : String(w),
  );
  throw badQuery(
    param,
    `spatial reference ${wkid} is not supported; the supported ones are ${supported.join(', ')}`,
  );
}

export function clip(s: string, max = 80): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}
