/** The answers of the token and web session routes; the web UI imports their Static types. Pure TypeBox. */
import { type Static, Type } from '@sinclair/typebox';
import { EpochMs, GenerateTokenParams, Success } from '../http/schemas.ts';

/** A web UI session: its user, the CSRF token of its state-changing requests, and when it ends. */
export const SessionJson = Type.Object({
  username: Type.String(),
  csrfToken: Type.String({ description: 'Send as X-Meridian-CSRF on POST and DELETE.' }),
  expires: EpochMs,
});
export type SessionJson = Static<typeof SessionJson>;

export const SignedOut = Success({});

/** The portal's generateToken: a GIS server's parameters, and serverUrl (a token for a federated server). */
export const PortalGenerateTokenParams = Type.Composite([
  GenerateTokenParams,
  Type.Object({
    serverUrl: Type.Optional(
      Type.String({
        maxLength: 2048,
        description:
          'A federated GIS server (its root or any URL under it): answers a server token for it, for the caller of `token` (no password).',
      }),
    ),
  }),
]);
