/** The subject and key options `cert generate` and `cert csr` share, and the input they make. */
import { type Options, text, wholeNumber } from '../../cli/options.ts';
import { UsageError } from '../../cli/usage-error.ts';
import type { CommandOption } from '../../kernel/module.ts';
import type { KeyAlgorithm } from '../keys.ts';
import type { GenerateInput } from '../module.ts';

export const commonNameOption: CommandOption = {
  type: 'string',
  valueName: 'NAME',
  description: 'Common name: the host name clients type, for example portal.example.com.',
};

export const subjectOptions: Readonly<Record<string, CommandOption>> = {
  org: { type: 'string', valueName: 'O', description: 'Organization.' },
  'org-unit': { type: 'string', valueName: 'OU', description: 'Organizational unit.' },
  city: { type: 'string', valueName: 'L', description: 'City or locality.' },
  state: { type: 'string', valueName: 'ST', description: 'State or province.' },
  country: { type: 'string', valueName: 'C', description: 'Two-letter country code, such as US, DE or FR.' },
  san: {
    type: 'string',
    valueName: 'NAMES',
    description:
      'Subject alternative names, comma-separated host names and IP addresses: a.example.com,10.0.0.1.',
  },
  'key-alg': { type: 'string', valueName: 'RSA|EC', description: 'Key algorithm (default RSA).' },
  'key-size': {
    type: 'string',
    valueName: 'N',
    description: 'RSA: 2048 (default), 3072 or 4096 bits; EC: 256 (default, P-256) or 384 (P-384).',
  },
  validity: {
    type: 'string',
    valueName: 'DAYS',
    description: 'Days the certificate is valid (default 365).',
  },
};

/** The subject and key fields of the options; cn is '' when not given. */
export function subjectInput(options: Options): Omit<GenerateInput, 'alias'> {
  const keyAlg = text(options, 'key-alg')?.toUpperCase();
  if (keyAlg && keyAlg !== 'RSA' && keyAlg !== 'EC')
    throw new UsageError(`--key-alg is RSA or EC, not '${keyAlg}'.`);
  const san = text(options, 'san');
  const keySize = wholeNumber(options, 'key-size');
  const validityDays = wholeNumber(options, 'validity');
  return {
    cn: text(options, 'cn') ?? '',
    org: text(options, 'org'),
    orgUnit: text(options, 'org-unit'),
    city: text(options, 'city'),
    state: text(options, 'state'),
    country: text(options, 'country'),
    ...(san ? { san: san.split(',') } : {}),
    ...(keyAlg ? { keyAlg: keyAlg as KeyAlgorithm } : {}),
    ...(keySize ? { keySize } : {}),
    ...(validityDays ? { validityDays } : {}),
  };
}
