/** The answers of the token and web session routes; the web UI imports their Static types. Pure TypeBox. */
import { type Static, Type } from '@sinclair/typebox';
import { EpochMs, Success } from '../http/schemas.ts';

/** A web UI session: its user, the CSRF token of its state-changing requests, and when it ends. */
export const SessionJson = Type.Object({
  username: Type.String(),
  csrfToken: Type.String({ description: 'Send as X-Meridian-CSRF on POST and DELETE.' }),
  expires: EpochMs,
});
export type SessionJson = Static<typeof SessionJson>;

export const SignedOut = Success({});
