import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import type { Step } from '../../kernel/pipeline/pipeline.ts';
import { DEFAULT_MAX_RESPONSE_BYTES, type SamlValidation } from './context.ts';
import { SamlEncodingInvalid, SamlResponseTooLarge } from './errors.ts';

const BASE64 = /^[A-Za-z0-9+/\s]*={0,2}\s*$/;

/**
 * check_size: the limit holds before anything is decoded. The encoded text may be at most
 * 4/3 of the limit plus line breaks (bounded by twice the limit); the decoded XML at most the limit.
 */
export const checkSize: Step<SamlValidation> = {
  name: 'check_size',
  run(ctx) {
    const max = ctx.env.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    const encoded = ctx.samlResponse;
    const tooLarge = (n: number) =>
      new MeridianError(
        SamlResponseTooLarge,
        `The SAML response is larger than ${max} bytes (saml.maxResponseBytes). ${SamlResponseTooLarge.fix}`,
        { detail: `${n} bytes` },
      );
    if (encoded.length > 2 * max) throw tooLarge(encoded.length);
    if (!encoded.trim() || !BASE64.test(encoded))
      throw new MeridianError(
        SamlEncodingInvalid,
        `The SAMLResponse is not base64. ${SamlEncodingInvalid.fix}`,
      );
    const bytes = Buffer.from(encoded, 'base64');
    if (bytes.length > max) throw tooLarge(bytes.length);
    ctx.bytes = bytes;
    return `${bytes.length} bytes (limit ${max})`;
  },
};
