/**
 * The sync bench's client of one portal process: form POSTs, GETs and multipart uploads to its
 * Sharing API over HTTPS verified against the portal's own CA, signed in as its administrator.
 * An answer carrying `error` (or one that is not JSON) fails the bench case it belongs to.
 */
import { Blob } from 'node:buffer';
import { FormData, fetch } from 'undici';
import type { PortalProcess } from '../e2e/portal-process.ts';
import { BenchCaseFailed } from './case-failed.ts';

// biome-ignore lint/suspicious/noExplicitAny: the bench reads arbitrary ArcGIS JSON answers.
export type Json = Record<string, any>;

export type Fields = Record<string, string | number | boolean>;

/** A file part of a multipart form. */
export interface FilePart {
  field: string;
  name: string;
  bytes: Buffer | string;
  type?: string;
}

export interface PortalApi {
  /** 'host' or 'guest': named in failures. */
  role: string;
  process: PortalProcess;
  base: string;
  token: string;
  /** POSTs form fields (token and f=json added); answers the JSON, failing on an error answer. */
  post(path: string, fields?: Fields): Promise<Json>;
  /** GETs with query fields (token and f=json added). */
  get(path: string, fields?: Fields): Promise<Json>;
  /** POSTs a multipart form with file parts. */
  upload(path: string, fields: Fields, files: FilePart[]): Promise<Json>;
  /** POSTs form fields and answers the body as text (the JSON files the API answers, e.g. an invitation). */
  postText(path: string, fields?: Fields): Promise<string>;
  /** GETs a resource's bytes (e.g. an item's data). */
  bytes(path: string): Promise<Buffer>;
}

function parsed(role: string, path: string, status: number, text: string): Json {
  let body: Json;
  try {
    body = JSON.parse(text) as Json;
  } catch {
    throw new BenchCaseFailed(`${role} ${path}`, `HTTP ${status}, not JSON: ${text.slice(0, 300)}`);
  }
  if (body.error) throw new BenchCaseFailed(`${role} ${path}`, JSON.stringify(body.error).slice(0, 600));
  return body;
}

export function portalApi(role: string, portal: PortalProcess, token: string): PortalApi {
  const { base, dispatcher } = portal;
  const form = (fields: Fields) =>
    new URLSearchParams(
      Object.entries({ f: 'json', token, ...fields }).map(([k, v]) => [k, String(v)] as [string, string]),
    );
  const postRaw = (path: string, fields: Fields) =>
    fetch(`${base}${path}`, { method: 'POST', dispatcher, body: form(fields) });
  return {
    role,
    process: portal,
    base,
    token,
    async post(path, fields = {}) {
      const res = await postRaw(path, fields);
      return parsed(role, path, res.status, await res.text());
    },
    async get(path, fields = {}) {
      const res = await fetch(`${base}${path}?${form(fields)}`, { dispatcher });
      return parsed(role, path, res.status, await res.text());
    },
    async upload(path, fields, files) {
      const body = new FormData();
      for (const [k, v] of Object.entries({ f: 'json', token, ...fields })) body.set(k, String(v));
      for (const f of files)
        body.set(f.field, new Blob([f.bytes], { type: f.type ?? 'application/octet-stream' }), f.name);
      const res = await fetch(`${base}${path}`, { method: 'POST', dispatcher, body });
      return parsed(role, path, res.status, await res.text());
    },
    async postText(path, fields = {}) {
      const res = await postRaw(path, fields);
      const text = await res.text();
      if (!res.ok) throw new BenchCaseFailed(`${role} ${path}`, `HTTP ${res.status}: ${text.slice(0, 300)}`);
      parsed(role, path, res.status, text); // a file in JSON; an error answer fails the case
      return text;
    },
    async bytes(path) {
      const sep = path.includes('?') ? '&' : '?';
      const res = await fetch(`${base}${path}${sep}token=${encodeURIComponent(token)}`, { dispatcher });
      const body = Buffer.from(await res.arrayBuffer());
      if (!res.ok)
        throw new BenchCaseFailed(`${role} ${path}`, `HTTP ${res.status}: ${body.toString().slice(0, 300)}`);
      return body;
    },
  };
}
