import { ArcgisError, PortalAdminError } from '../http/schemas.ts';

type Json = Record<string, unknown>;
type Responses = Record<string, Json>;

const ERROR_SCHEMAS = { ArcgisError, PortalAdminError } as const;

const ref = (name: keyof typeof ERROR_SCHEMAS) => ({ $ref: `#/components/schemas/${name}` });

/** The JSON error shape a route answers with (HTTP 200), as route() declared it. */
function jsonError(style: unknown): keyof typeof ERROR_SCHEMAS | undefined {
  if (style === 'arcgis') return 'ArcgisError';
  if (style === 'portaladmin') return 'PortalAdminError';
  return undefined;
}

/** The 200 answer may also be the route's error shape: JSON content becomes oneOf [answer, error]. */
function addJsonError(responses: Responses, name: keyof typeof ERROR_SCHEMAS): void {
  const ok = responses['200'] ?? { description: 'Default Response' };
  responses['200'] = ok;
  const content = (ok.content ?? {}) as Record<string, Json>;
  ok.content = content;
  const json = content['application/json'];
  content['application/json'] = json?.schema
    ? { schema: { oneOf: [json.schema, ref(name)] } }
    : { schema: ref(name) };
  const what = ok.description === 'Default Response' ? 'The answer.' : String(ok.description);
  ok.description = `${what} An error comes with HTTP 200 too, as ${name}.`;
}

function addHtmlError(responses: Responses): void {
  const page = { description: 'An error page.', content: { 'text/html': { schema: { type: 'string' } } } };
  responses['4XX'] = page;
  responses['5XX'] = page;
}

/**
 * A schema with a title (Item, Group, User, Job…) is declared once in components and
 * referenced wherever an answer holds it; a variant under the same title stays inline.
 */
function shareTitled(node: unknown, schemas: Json): unknown {
  if (Array.isArray(node)) return node.map((n) => shareTitled(n, schemas));
  if (!node || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node as Json)) out[k] = shareTitled(v, schemas);
  const name = out.title;
  if (typeof name !== 'string' || out.type !== 'object') return out;
  const known = schemas[name];
  if (known === undefined) schemas[name] = out;
  else if (JSON.stringify(known) !== JSON.stringify(out)) return out;
  return { $ref: `#/components/schemas/${name}` };
}

/**
 * The OpenAPI document with each route's errors: route() marks every operation with
 * `x-meridian-errors` (arcgis, portaladmin or html); the two JSON error shapes are declared once
 * in components and referenced from each answer, an html route documents its error page; the schemas
 * with a title are shared too.
 */
export function withErrorResponses(openapi: Json): Json {
  const components = (openapi.components ?? {}) as Json;
  const schemas = (components.schemas ?? {}) as Json;
  components.schemas = schemas;
  openapi.components = components;
  for (const [name, schema] of Object.entries(ERROR_SCHEMAS)) {
    const { $id: _id, ...plain } = JSON.parse(JSON.stringify(schema)) as Json;
    schemas[name] = plain;
  }
  // GET and POST of one route may be one operation object, listed twice: each is done once.
  const done = new WeakSet<Json>();
  for (const operations of Object.values((openapi.paths ?? {}) as Record<string, Record<string, Json>>)) {
    for (const op of Object.values(operations)) {
      if (done.has(op)) continue;
      done.add(op);
      const style = op['x-meridian-errors'];
      // Operations may share one responses object too: each gets its own copy.
      const responses = structuredClone((op.responses ?? {}) as Responses);
      op.responses = responses;
      for (const r of Object.values(responses)) if (r.content) r.content = shareTitled(r.content, schemas);
      const name = jsonError(style);
      if (name) addJsonError(responses, name);
      else if (style === 'html') addHtmlError(responses);
    }
  }
  return openapi;
}
