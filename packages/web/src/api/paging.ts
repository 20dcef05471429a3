/** The paging fields of a listing (1-based `start`; `nextStart` is -1 on the last page), as the server declares them. */
export type { PageEnvelopeJson as PageEnvelope } from '@meridian/server/http/schemas.ts';
