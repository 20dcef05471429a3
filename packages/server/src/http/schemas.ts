/**
 * Schema pieces that routes of every module share: nullable scalars, the paging envelope, the
 * plain success answers, and the two ArcGIS error shapes. Pure TypeBox (no Node import): the
 * web UI imports the Static types of these schemas, type-only.
 */
import { type Static, type TProperties, type TSchema, Type } from '@sinclair/typebox';

/**
 * `T | null` as one JSON-schema type list (`{"type":["string","null"]}`), which
 * fast-json-stringify writes directly (an anyOf would be tried branch by branch per value).
 * For schemas with a single `type`: strings, numbers, booleans, objects and arrays.
 */
export function Nullable<T extends TSchema>(schema: T) {
  return Type.Unsafe<Static<T> | null>({ ...schema, type: [schema.type as string, 'null'] });
}

/** Any JSON value a client gave and gets back as it was (item properties, job input). */
export const AnyJson = Type.Unknown({ description: 'Any JSON value.' });

/** Epoch milliseconds. */
export const EpochMs = Type.Number({ description: 'Epoch milliseconds.' });

/** A page of a listing: 1-based start, nextStart -1 on the last page. */
export const PageEnvelope = {
  total: Type.Integer(),
  start: Type.Integer(),
  num: Type.Integer(),
  nextStart: Type.Integer({ description: '-1 on the last page.' }),
} satisfies TProperties;

export interface PageEnvelopeJson {
  total: number;
  start: number;
  num: number;
  nextStart: number;
}

/** {"success": true} and the ids the Sharing API echoes with it. */
export function Success<P extends TProperties>(props: P) {
  return Type.Object({ success: Type.Literal(true), ...props });
}

/** The administrator API's {"status": "success"}, with the fields a resource adds. */
export function StatusSuccess<P extends TProperties>(props: P) {
  return Type.Object({ status: Type.Literal('success'), ...props });
}

/**
 * The Sharing API's error (HTTP 200): arcgis-rest-js refreshes its token only on 498/499 here.
 * An error may carry more fields (`lockedUntil`, `unsuitable`, `diagnosis`): declared open.
 */
export const ArcgisError = Type.Object(
  {
    error: Type.Object(
      {
        code: Type.Integer({ description: 'ArcGIS code: 498 invalid token, 499 token required, 403, 400…' }),
        messageCode: Type.String({ description: "Meridian's error code, e.g. trust.unknown_ca." }),
        message: Type.String(),
        details: Type.Array(Type.String()),
      },
      { additionalProperties: true },
    ),
  },
  { $id: 'ArcgisError', description: 'An error of the Sharing API (sent with HTTP 200).' },
);
export type ArcgisErrorJson = Static<typeof ArcgisError>;

/** The administrator API's error (HTTP 200). */
export const PortalAdminError = Type.Object(
  {
    status: Type.Literal('error'),
    messages: Type.Array(Type.String()),
    code: Type.Integer({ description: 'HTTP status the error stands for.' }),
    errorCode: Type.String({ description: "Meridian's error code." }),
  },
  {
    $id: 'PortalAdminError',
    additionalProperties: true,
    description: 'An error of the administrator API (sent with HTTP 200).',
  },
);
export type PortalAdminErrorJson = Static<typeof PortalAdminError>;

/** A string of a fixed set of values, as `{"type":"string","enum":[…]}` (what ajv and OpenAPI read best). */
export function StringEnum<const T extends readonly string[]>(
  values: T,
  options: { description?: string } = {},
) {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });
}

/**
 * generateToken's parameters, as ArcGIS clients send them to a portal's or a server's token
 * service: username, password, client=referer|ip|requestip, referer, ip, expiration (minutes).
 */
export const GenerateTokenParams = Type.Object({
  username: Type.Optional(Type.String({ maxLength: 128 })),
  password: Type.Optional(Type.String({ maxLength: 1024 })),
  client: Type.Optional(StringEnum(['referer', 'ip', 'requestip'])),
  referer: Type.Optional(Type.String({ maxLength: 2048 })),
  ip: Type.Optional(Type.String({ maxLength: 64 })),
  expiration: Type.Optional(Type.Number({ description: 'Minutes; clamped to the maximum lifetime.' })),
});

/** generateToken's answer: a token bound to a referer or an address, and when it expires. */
export const TokenJson = Type.Object({
  token: Type.String(),
  expires: EpochMs,
  ssl: Type.Boolean({ description: 'Always true: tokens are only used over HTTPS.' }),
});
export type TokenJson = Static<typeof TokenJson>;
