import { defineError, MeridianError } from '../kernel/errors/meridian-error.ts';
import type { Caller } from './caller.ts';

export const TokenRequired = defineError({
  code: 'auth.token_required',
  status: 499,
  summary: 'Token Required.',
  fix: 'Sign in, or send a token from generateToken as the token parameter or an Authorization: Bearer header.',
});

export function requireCaller(caller: Caller | undefined): Caller {
  if (!caller) throw new MeridianError(TokenRequired, 'Token Required');
  return caller;
}
