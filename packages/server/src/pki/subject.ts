import { isIP } from 'node:net';
import { MeridianError } from '../kernel/errors/meridian-error.ts';
import { InvalidCertificateRequest } from './errors.ts';
import { x509 } from './x509-provider.ts';

/** The subject fields an administrator fills in (ArcGIS: commonName, organization, unit, city, state, country). */
export interface SubjectFields {
  cn: string;
  org?: string;
  orgUnit?: string;
  city?: string;
  state?: string;
  /** Two-letter ISO 3166 code. */
  country?: string;
}

const bad = (message: string) => new MeridianError(InvalidCertificateRequest, message);

/** The subject as an X.500 name in the conventional order (C, ST, L, O, OU, CN). */
export function subjectName(fields: SubjectFields): x509.JsonName {
  const cn = fields.cn?.trim();
  if (!cn)
    throw bad(
      'The common name (cn) is required: use the host name clients type, for example portal.example.com.',
    );
  if (cn.length > 64) throw bad(`The common name is ${cn.length} characters long; the limit is 64.`);
  const country = fields.country?.trim();
  if (country && !/^[A-Za-z]{2}$/.test(country))
    throw bad(`The country "${country}" must be a two-letter code such as US, DE or FR.`);
  const parts: [string, string | undefined][] = [
    ['C', country?.toUpperCase()],
    ['ST', fields.state],
    ['L', fields.city],
    ['O', fields.org],
    ['OU', fields.orgUnit],
    ['CN', cn],
  ];
  const name: x509.JsonName = [];
  for (const [type, value] of parts) {
    const v = value?.trim();
    if (!v) continue;
    if (v.length > 128) throw bad(`The ${type} field is longer than 128 characters.`);
    name.push({ [type]: [v] });
  }
  return name;
}

const DNS_NAME = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/** Normalises and checks subject alternative names: DNS names (wildcard allowed) and IP addresses. */
export function normaliseSan(names: readonly string[]): string[] {
  const out: string[] = [];
  for (const raw of names) {
    const n = raw
      .trim()
      .replace(/^(DNS|IP):/i, '')
      .toLowerCase();
    if (!n) continue;
    const ip = n.replace(/^\[|\]$/g, '');
    if (isIP(ip)) out.push(ip);
    else if (DNS_NAME.test(n) && n.length <= 253) out.push(n);
    else throw bad(`The subject alternative name "${raw}" is neither a DNS name nor an IP address.`);
  }
  return [...new Set(out)];
}

/** The names a certificate for `cn` carries when the administrator gives none: the common name itself. */
export function defaultSan(cn: string, san: readonly string[] | undefined): string[] {
  if (san && san.length > 0) return normaliseSan(san);
  try {
    return normaliseSan([cn]);
  } catch {
    return [];
  }
}

export function sanExtension(names: readonly string[]): x509.SubjectAlternativeNameExtension {
  return new x509.SubjectAlternativeNameExtension(
    names.map((n) => (isIP(n) ? { type: 'ip' as const, value: n } : { type: 'dns' as const, value: n })),
    false,
  );
}
