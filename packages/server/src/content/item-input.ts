import { parseClientJson } from '../http/json-body.ts';
import type { UploadedFile } from '../http/uploaded-file.ts';
import { MeridianError } from '../kernel/errors/meridian-error.ts';
import { controlCharIndex, withoutControlChars } from './control-chars.ts';
import { InvalidItemField } from './errors.ts';
import type { ItemRow } from './item-json.ts';

/** The item fields addItem and update take (ArcGIS names). */
export interface ItemArgs {
  title?: string;
  type?: string;
  typeKeywords?: string;
  tags?: string;
  description?: string;
  snippet?: string;
  url?: string;
  text?: string;
  extent?: string;
  spatialReference?: string;
  properties?: string | Record<string, unknown>;
  accessInformation?: string;
  licenseInfo?: string;
  culture?: string;
  clearEmptyFields?: boolean;
  filename?: string;
  fileName?: string;
}

export type ItemData = { kind: 'text'; text: string } | { kind: 'file'; file: UploadedFile; name: string };

export interface ItemInput {
  columns: Partial<ItemRow>;
  data: ItemData | undefined;
  thumbnail: UploadedFile | undefined;
}

/** The file parts of an addItem or update request. */
export interface ItemUploads {
  file?: UploadedFile;
  thumbnail?: UploadedFile;
}

const LIMITS = {
  title: 256,
  type: 128,
  snippet: 2048,
  description: 512 * 1024,
  url: 2048,
  culture: 32,
  spatialReference: 1024,
  accessInformation: 64 * 1024,
  licenseInfo: 64 * 1024,
  properties: 256 * 1024,
  listEntries: 128,
  listEntry: 256,
} as const;

function bad(message: string): never {
  throw new MeridianError(InvalidItemField, message);
}

function checkLength(name: string, value: string, max: number): string {
  if (value.length > max) bad(`'${name}' is ${value.length} characters long; the limit is ${max}.`);
  return value;
}

/** tags / typeKeywords: a comma list or a JSON array of strings. */
export function parseStringList(name: string, value: string): string[] {
  let raw: unknown[];
  const trimmed = value.trim();
  if (trimmed.startsWith('[')) {
    try {
      raw = JSON.parse(trimmed);
    } catch {
      bad(`'${name}' starts with '[' but is not a JSON array; send a comma list or a JSON array of strings.`);
    }
    if (!Array.isArray(raw) || raw.some((v) => typeof v !== 'string'))
      bad(`'${name}' must be a JSON array of strings or a comma list.`);
  } else {
    raw = trimmed.split(',');
  }
  const out: string[] = [];
  const seen = new Set<string>();
  for (const v of raw as string[]) {
    const s = v.trim();
    if (!s || seen.has(s.toLowerCase())) continue;
    checkLength(`${name} entry`, s, LIMITS.listEntry);
    seen.add(s.toLowerCase());
    out.push(s);
  }
  if (out.length > LIMITS.listEntries)
    bad(`'${name}' has ${out.length} entries; the limit is ${LIMITS.listEntries}.`);
  return out;
}

/** extent: "xmin,ymin,xmax,ymax", a JSON [[xmin,ymin],[xmax,ymax]], or a JSON envelope. */
export function parseExtent(value: string): [number, number, number, number] | null {
  const v = value.trim();
  if (v === '' || v === '[]') return null;
  let nums: unknown[];
  if (v.startsWith('[') || v.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = parseClientJson('extent', v);
    } catch {
      bad(`'extent' is not valid JSON; write xmin,ymin,xmax,ymax or [[xmin,ymin],[xmax,ymax]].`);
    }
    if (Array.isArray(parsed)) nums = parsed.flat();
    else {
      const e = parsed as Record<string, unknown>;
      nums = [e.xmin, e.ymin, e.xmax, e.ymax];
    }
  } else {
    nums = v.split(',').map((s) => (s.trim() === '' ? NaN : Number(s)));
  }
  if (nums.length !== 4 || nums.some((n) => typeof n !== 'number' || !Number.isFinite(n)))
    bad(`'extent' must be four numbers: xmin,ymin,xmax,ymax (or [[xmin,ymin],[xmax,ymax]]).`);
  const [xmin, ymin, xmax, ymax] = nums as [number, number, number, number];
  if (xmin > xmax || ymin > ymax) bad(`'extent': xmin must not exceed xmax, nor ymin ymax.`);
  return [xmin, ymin, xmax, ymax];
}

function parseProperties(value: string | Record<string, unknown>): string | null {
  if (typeof value !== 'string') return checkLength('properties', JSON.stringify(value), LIMITS.properties);
  if (value.trim() === '') return null;
  let parsed: unknown;
  try {
    parsed = parseClientJson('properties', value);
  } catch {
    bad(`'properties' must be a JSON object (at most 64 levels deep).`);
  }
  if (parsed !== null && (typeof parsed !== 'object' || Array.isArray(parsed)))
    bad(`'properties' must be a JSON object.`);
  return checkLength('properties', JSON.stringify(parsed), LIMITS.properties);
}

function parseUrl(value: string): string | null {
  const v = checkLength('url', value.trim(), LIMITS.url);
  if (v === '') return null;
  // javascript: and data: URLs would become script in a link.
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(v)?.[1]?.toLowerCase();
  if (scheme && scheme !== 'http' && scheme !== 'https')
    bad(`'url' must be an http or https URL, not ${scheme}:.`);
  if (controlCharIndex(v) >= 0) bad(`'url' contains control characters.`);
  return v;
}

/** A file name safe to store and to put in Content-Disposition: no path, no control characters. */
export function safeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const cleaned = withoutControlChars(base).replace(/"/g, '').trim();
  return (cleaned === '' || cleaned === '.' || cleaned === '..' ? 'file' : cleaned).slice(0, 255);
}

/**
 * Validates the item fields of an addItem or update request into column values. On update,
 * an empty value is ignored unless clearEmptyFields is true (then it clears the field).
 */
export function readItemInput(args: ItemArgs, mode: 'add' | 'update', uploads: ItemUploads = {}): ItemInput {
  const columns: Partial<ItemRow> = {};
  const clear = mode === 'add' || args.clearEmptyFields === true;
  const text = (name: keyof ItemArgs, max: number, set: (v: string) => void) => {
    const v = args[name];
    if (v === undefined) return;
    if (typeof v !== 'string') bad(`'${name}' must be a string.`);
    if (v === '' && !clear) return;
    set(checkLength(name, v, max));
  };

  if (args.title !== undefined) {
    const t = String(args.title).trim();
    if (t === '') {
      if (mode === 'add') bad(`'title' must not be empty.`);
    } else columns.title = checkLength('title', t, LIMITS.title);
  } else if (mode === 'add') bad(`Missing required parameter 'title'.`);
  if (args.type !== undefined && String(args.type).trim() !== '')
    columns.type = checkLength('type', String(args.type).trim(), LIMITS.type);
  else if (mode === 'add') bad(`Missing required parameter 'type' (for example "Web Map" or "CSV").`);

  text('description', LIMITS.description, (v) => {
    columns.description = v;
  });
  text('snippet', LIMITS.snippet, (v) => {
    columns.snippet = v;
  });
  text('accessInformation', LIMITS.accessInformation, (v) => {
    columns.access_information = v;
  });
  text('licenseInfo', LIMITS.licenseInfo, (v) => {
    columns.license_info = v;
  });
  text('culture', LIMITS.culture, (v) => {
    columns.culture = v;
  });
  text('spatialReference', LIMITS.spatialReference, (v) => {
    columns.spatial_reference = v === '' ? null : v;
  });
  text('tags', Number.MAX_SAFE_INTEGER, (v) => {
    columns.tags = JSON.stringify(parseStringList('tags', v));
  });
  text('typeKeywords', Number.MAX_SAFE_INTEGER, (v) => {
    columns.type_keywords = JSON.stringify(parseStringList('typeKeywords', v));
  });
  text('url', Number.MAX_SAFE_INTEGER, (v) => {
    columns.url = parseUrl(v);
  });
  text('extent', 4096, (v) => {
    const e = parseExtent(v);
    columns.extent_xmin = e?.[0] ?? null;
    columns.extent_ymin = e?.[1] ?? null;
    columns.extent_xmax = e?.[2] ?? null;
    columns.extent_ymax = e?.[3] ?? null;
  });
  if (args.properties !== undefined && (args.properties !== '' || clear))
    columns.properties = parseProperties(args.properties);

  let data: ItemData | undefined;
  if (uploads.file) {
    if (args.text !== undefined && args.text !== '') bad(`Send either 'text' or 'file', not both.`);
    data = {
      kind: 'file',
      file: uploads.file,
      name: safeFileName(args.fileName ?? args.filename ?? uploads.file.filename),
    };
  } else if (args.text !== undefined && (args.text !== '' || clear)) {
    if (typeof args.text !== 'string') bad(`'text' must be a string.`);
    data = { kind: 'text', text: args.text };
  }
  return { columns, data, thumbnail: uploads.thumbnail };
}
