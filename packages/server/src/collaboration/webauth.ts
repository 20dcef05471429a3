/**
 * The hostWebauth* / guestWebauth* parameters ArcGIS clients send for a partner behind
 * web-tier authentication. Meridian's partner calls are authenticated by the keys exchanged in
 * the invitation, never by a person's password: empty values are accepted, a value is refused
 * (collaboration.webauth_not_needed). The values are never put in a message, a log or a row.
 */
import type { FastifyRequest } from 'fastify';
import { uploadOf } from '../http/route.ts';
import { MeridianError } from '../kernel/errors/meridian-error.ts';
import { CollaborationWebauthNotNeeded } from './errors.ts';

const TEXT_FIELDS = ['WebauthUsername', 'WebauthPassword', 'WebauthCertPassword'] as const;

/** The names of the web-tier parameters given a value (text, or a non-empty file part). */
export function webauthGiven(req: FastifyRequest, args: Record<string, unknown>, prefix: 'host' | 'guest') {
  const given = TEXT_FIELDS.map((f) => `${prefix}${f}`).filter((name) => {
    const v = args[name];
    return typeof v === 'string' && v.trim() !== '';
  });
  const file = uploadOf(req, `${prefix}WebauthCertificateFile`);
  if (file && file.size > 0) given.push(`${prefix}WebauthCertificateFile`);
  return given;
}

/** Refuses a request that gives a web-tier parameter a value; names the parameters, never the values. */
export function refuseWebauth(req: FastifyRequest, args: Record<string, unknown>, prefix: 'host' | 'guest') {
  const given = webauthGiven(req, args, prefix);
  if (!given.length) return;
  const partner = prefix === 'host' ? 'host' : 'guest';
  throw new MeridianError(
    CollaborationWebauthNotNeeded,
    `${given.map((n) => `'${n}'`).join(', ')} ${given.length > 1 ? 'were' : 'was'} given a value, which Meridian does not use: the ${partner} portal is reached with the keys exchanged in the invitation, never with a person's password or client certificate, so nothing was sent or stored. ${CollaborationWebauthNotNeeded.fix}`,
  );
}
