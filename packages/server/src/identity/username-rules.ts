import { MeridianError } from '../kernel/errors/meridian-error.ts';
import { UsernameInvalid } from './errors.ts';

/** As ArcGIS: 6 to 128 characters, letters, digits and . _ @ - only. */
const USERNAME_RE = /^[A-Za-z0-9._@-]{6,128}$/;

export function checkUsername(username: string): void {
  if (!USERNAME_RE.test(username))
    throw new MeridianError(
      UsernameInvalid,
      `The username '${username.slice(0, 140)}' is not valid: use 6 to 128 characters, only letters, digits and . _ @ -.`,
    );
}
