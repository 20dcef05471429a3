/**
 * The sync bench's items: river gauges, each an item with metadata (title, tags, snippet,
 * description) and a small data file of 1–4 KB, alternately a CSV of readings and a GeoJSON
 * FeatureCollection of the gauge's points. Deterministic (seeded), and every file's bytes are
 * unique (they name the gauge and its version), so that no two items share a checksum and the
 * bytes a sync moves can be predicted exactly.
 */
import { createHash } from 'node:crypto';
import { seededRandom } from './features-data.ts';

export interface GaugeItem {
  /** 1-based number of the gauge. */
  n: number;
  title: string;
  type: 'CSV' | 'GeoJson';
  fileName: string;
  /** Fields of addItem besides the file. */
  fields: Record<string, string>;
  bytes: Buffer;
}

const MIN_BYTES = 1024;
const MAX_BYTES = 4096;

export const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

const name = (n: number) => `Gauge ${String(n).padStart(5, '0')}`;

/** A CSV of readings at least `size` bytes long (its lines are whole). */
function csv(n: number, version: number, size: number, random: () => number): string {
  let text = `gauge,version,observed,level_cm,flow_m3s\n`;
  for (let i = 0; text.length < size; i++) {
    const observed = new Date(Date.UTC(2024, 0, 1) + i * 900_000).toISOString();
    text += `${n},${version},${observed},${(120 + random() * 80).toFixed(1)},${(random() * 40).toFixed(2)}\n`;
  }
  return text;
}

/** A GeoJSON FeatureCollection of points at least `size` bytes long. */
function geojson(n: number, version: number, size: number, random: () => number): string {
  const features: string[] = [];
  const head = `{"type":"FeatureCollection","name":"${name(n)} v${version}","features":[`;
  let length = head.length + 2;
  while (length < size) {
    const f = JSON.stringify({
      type: 'Feature',
      geometry: {
        type: 'Point',
        coordinates: [+(6 + random() * 9).toFixed(5), +(47 + random() * 8).toFixed(5)],
      },
      properties: { gauge: n, version, level_cm: +(120 + random() * 80).toFixed(1) },
    });
    features.push(f);
    length += f.length + 1;
  }
  return `${head}${features.join(',')}]}`;
}

/** The data file of gauge `n` at `version` (0: as added; 1, 2…: as updated). */
export function gaugeData(n: number, version: number): Buffer {
  const random = seededRandom(n * 7919 + version);
  const size = MIN_BYTES + Math.floor(random() * (MAX_BYTES - MIN_BYTES));
  return Buffer.from(n % 2 ? csv(n, version, size, random) : geojson(n, version, size, random));
}

export function gaugeItem(n: number): GaugeItem {
  const type = n % 2 ? 'CSV' : 'GeoJson';
  const title = name(n);
  return {
    n,
    title,
    type,
    fileName: `gauge-${n}.${type === 'CSV' ? 'csv' : 'geojson'}`,
    fields: {
      title,
      type,
      tags: `river,gauge,basin-${n % 17}`,
      snippet: `Water level readings of river gauge ${n}.`,
      description: `<p>Readings every 15 minutes from gauge ${n}, basin ${n % 17}.</p>`,
    },
    bytes: gaugeData(n, 0),
  };
}
