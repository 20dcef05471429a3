import type { FastifyRequest } from 'fastify';
import { uploadOf } from '../../http/route.ts';
import { PayloadTooLarge } from '../../kernel/errors/common.ts';
import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import { InvalidCertificateRequest } from '../errors.ts';

/** Certificate and keystore files are small; anything larger is not one. */
const MAX_BYTES = 1024 * 1024;

/**
 * The bytes of a certificate or keystore: the multipart file part `fileField` (default `file`;
 * ArcGIS Server names it certFile, rootCACertificate, caSignedCertificate), or the text field
 * named `textField` (pasted PEM). Exactly one of them.
 */
export async function certificateInput(
  req: FastifyRequest,
  args: Record<string, unknown>,
  textField?: string,
  fileField = 'file',
): Promise<Buffer> {
  const file = uploadOf(req, fileField);
  const text = textField ? args[textField] : undefined;
  const hasText = typeof text === 'string' && text.trim() !== '';
  if (file && hasText)
    throw new MeridianError(
      InvalidCertificateRequest,
      `Send either the file or the ${textField} field, not both.`,
    );
  if (hasText) return Buffer.from(text, 'utf8');
  if (file) {
    if (file.size > MAX_BYTES)
      throw new MeridianError(
        PayloadTooLarge,
        `The file '${file.filename}' is ${file.size} bytes: certificate and PKCS#12 files are smaller than ${MAX_BYTES} bytes.`,
      );
    return file.read();
  }
  throw new MeridianError(
    InvalidCertificateRequest,
    textField
      ? `Send the certificate as a multipart file part named '${fileField}' or as the text field '${textField}'.`
      : `Send the file as a multipart file part named '${fileField}'.`,
  );
}
