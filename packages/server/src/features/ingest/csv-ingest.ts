/**
 * The two passes over a CSV file: the first reads the header, finds the point columns
 * (x/y, lon/lng/long/longitude, lat/latitude, any case), checks every line and infers the
 * fields; the second converts and writes. Empty cells are nulls. Numbers keep their text when
 * the column is not numeric throughout ("00123" stays text: a leading zero is not a number).
 */
import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import type { EsriGeometry } from '../plan.ts';
import { csvRecords } from './csv-records.ts';
import { BadCsv } from './errors.ts';
import { convertValue, FieldStats, inferFields } from './field-inference.ts';
import type { Batcher, Open, ScannedLayer } from './layer-plan.ts';

const X_NAMES = ['x', 'lon', 'lng', 'long', 'longitude'];
const Y_NAMES = ['y', 'lat', 'latitude'];
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const LEADING_ZERO = /^[+-]?0\d/;

/** A cell as the type inference sees it: null, a number, or text. */
function typed(cell: string): string | number | null {
  if (cell === '') return null;
  const t = cell.trim();
  if (NUMBER.test(t) && !LEADING_ZERO.test(t)) return Number(t);
  return cell;
}

function columnOf(header: string[], names: string[]): number {
  const lower = header.map((h) => h.trim().toLowerCase());
  for (const n of names) {
    const i = lower.indexOf(n);
    if (i >= 0) return i;
  }
  return -1;
}

interface Header {
  names: string[];
  x: number;
  y: number;
}

function readHeader(cells: string[]): Header {
  const names = cells.map((c) => c.trim());
  names.forEach((n, i) => {
    if (n === '') throw new MeridianError(BadCsv, `Line 1: column ${i + 1} of the header has no name.`);
  });
  return { names, x: columnOf(names, X_NAMES), y: columnOf(names, Y_NAMES) };
}

function point(h: Header, cells: string[], line: number, geographic: boolean): EsriGeometry | null {
  if (h.x < 0 || h.y < 0) return null;
  const xs = cells[h.x]!.trim();
  const ys = cells[h.y]!.trim();
  if (xs === '' && ys === '') return null;
  const x = Number(xs);
  const y = Number(ys);
  if (xs === '' || !NUMBER.test(xs) || !Number.isFinite(x)) {
    throw new MeridianError(BadCsv, `Line ${line}: ${h.names[h.x]} "${xs}" is not a number.`);
  }
  if (ys === '' || !NUMBER.test(ys) || !Number.isFinite(y)) {
    throw new MeridianError(BadCsv, `Line ${line}: ${h.names[h.y]} "${ys}" is not a number.`);
  }
  if (geographic && (x < -180 || x > 180)) {
    throw new MeridianError(BadCsv, `Line ${line}: longitude ${x} (${h.names[h.x]}) is outside -180..180.`);
  }
  if (geographic && (y < -90 || y > 90)) {
    throw new MeridianError(BadCsv, `Line ${line}: latitude ${y} (${h.names[h.y]}) is outside -90..90.`);
  }
  return { x, y };
}

async function* rows(
  open: Open,
  onHeader: (h: Header) => void = () => {},
): AsyncGenerator<{ header: Header; line: number; cells: string[] }[]> {
  let header: Header | undefined;
  for await (const batch of csvRecords(open())) {
    const out: { header: Header; line: number; cells: string[] }[] = [];
    for (const r of batch) {
      if (!header) {
        header = readHeader(r.cells);
        onHeader(header);
        continue;
      }
      if (r.cells.length !== header.names.length) {
        throw new MeridianError(
          BadCsv,
          `Line ${r.line}: ${r.cells.length} fields where the header has ${header.names.length}.`,
        );
      }
      out.push({ header, line: r.line, cells: r.cells });
    }
    if (out.length) yield out;
  }
  if (!header) throw new MeridianError(BadCsv, 'The file is empty: a CSV needs a header line.');
}

export async function scanCsv(open: Open, wkid: number, onCount: (n: number) => void): Promise<ScannedLayer> {
  let stats: FieldStats[] = [];
  let hasPoints = false;
  let count = 0;
  const onHeader = (h: Header) => {
    stats = h.names.map((n) => new FieldStats(n));
    hasPoints = h.x >= 0 && h.y >= 0;
  };
  for await (const batch of rows(open, onHeader)) {
    for (const r of batch) {
      point(r.header, r.cells, r.line, wkid === 4326);
      for (let i = 0; i < stats.length; i++) stats[i]!.see(typed(r.cells[i]!));
      count++;
    }
    onCount(count);
  }
  const { fields, objectIdField } = inferFields(stats);
  return { geometryType: hasPoints ? 'esriGeometryPoint' : null, fields, objectIdField, count };
}

export async function loadCsv(open: Open, scan: ScannedLayer, wkid: number, out: Batcher): Promise<void> {
  for await (const batch of rows(open)) {
    for (const r of batch) {
      const attributes: Record<string, ReturnType<typeof convertValue>> = {};
      scan.fields.forEach((f, i) => {
        const cell = r.cells[i]!;
        attributes[f.def.name] =
          cell === ''
            ? null
            : convertValue(f.def.type === 'esriFieldTypeString' ? cell : typed(cell), f.def.type);
      });
      const geometry = scan.geometryType ? point(r.header, r.cells, r.line, wkid === 4326) : null;
      await out.add({ attributes, geometry });
    }
  }
  await out.flush();
}
