import { readFile } from 'node:fs/promises';
import { PayloadTooLarge } from '../../errors/common.ts';
import { MeridianError } from '../../errors/meridian-error.ts';
import { isUploadedFile } from '../../http/uploaded-file.ts';
import { InvalidCertificateRequest } from '../errors.ts';

/** Certificate and keystore files are small; anything larger is not one. */
const MAX_BYTES = 1024 * 1024;

/**
 * The bytes of a certificate or keystore: the multipart part `file`, or the text field named
 * `textField` (pasted PEM). Exactly one of them.
 */
export async function certificateInput(
  args: { file?: unknown } & Record<string, unknown>,
  textField?: string,
): Promise<Buffer> {
  const text = textField ? args[textField] : undefined;
  const hasText = typeof text === 'string' && text.trim() !== '';
  if (args.file !== undefined && hasText)
    throw new MeridianError(
      InvalidCertificateRequest,
      `Send either the file or the ${textField} field, not both.`,
    );
  if (hasText) return Buffer.from(text, 'utf8');
  if (isUploadedFile(args.file)) {
    if (args.file.size > MAX_BYTES)
      throw new MeridianError(
        PayloadTooLarge,
        `The file '${args.file.filename}' is ${args.file.size} bytes: certificate and PKCS#12 files are smaller than ${MAX_BYTES} bytes.`,
      );
    return readFile(args.file.tempPath);
  }
  if (typeof args.file === 'string' && args.file.trim()) return Buffer.from(args.file, 'utf8');
  throw new MeridianError(
    InvalidCertificateRequest,
    textField
      ? `Send the certificate as a multipart file part named 'file' or as the text field '${textField}'.`
      : "Send the file as a multipart file part named 'file'.",
  );
}
