import { MeridianError } from '../kernel/errors/meridian-error.ts';
import { FieldInvalid } from './errors.ts';
import { parseRole } from './roles.ts';
import type { Role } from './tables.ts';

/** Checks of the fields of a user, shared by built-in and SAML accounts. */
export interface ProfileChanges {
  firstName?: string;
  lastName?: string;
  fullName?: string;
  email?: string;
  description?: string;
}

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function checkRole(value: string): Role {
  const role = parseRole(value);
  if (!role)
    throw new MeridianError(
      FieldInvalid,
      `The role '${value.slice(0, 64)}' is not valid: use org_admin, org_publisher or org_user.`,
    );
  return role;
}

function checkText(name: string, value: string | undefined, max: number): string | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (v.length > max)
    throw new MeridianError(FieldInvalid, `The ${name} is too long: at most ${max} characters.`);
  return v;
}

export function isValidEmail(value: string): boolean {
  return value.length <= 320 && EMAIL_RE.test(value);
}

function checkEmail(value: string | undefined): string | undefined {
  const v = checkText('email', value, 320);
  if (v && !EMAIL_RE.test(v))
    throw new MeridianError(FieldInvalid, `The email address '${v}' is not valid: use name@example.org.`);
  return v;
}

export function checkProfile(changes: ProfileChanges): ProfileChanges {
  return {
    firstName: checkText('first name', changes.firstName, 256),
    lastName: checkText('last name', changes.lastName, 256),
    fullName: checkText('full name', changes.fullName, 512),
    email: checkEmail(changes.email),
    description: checkText('description', changes.description, 32_000),
  };
}
