/** A signed file sent to a route: the multipart part (only from the multipart parser) or its text in a JSON parameter. */
import type { FastifyRequest } from 'fastify';
import { uploadOf } from '../../http/route.ts';
import { invalid } from '../input.ts';

export const MAX_SIGNED_FILE = 256 * 1024;

export async function signedFileText(
  req: FastifyRequest,
  fileParam: string,
  jsonParam: string | undefined,
  json: string | undefined,
): Promise<string> {
  const file = uploadOf(req, fileParam);
  if (file && json) throw invalid(`Send either '${fileParam}' or '${jsonParam}', not both.`);
  if (file) {
    if (file.size > MAX_SIGNED_FILE)
      throw invalid(`'${fileParam}' is larger than ${MAX_SIGNED_FILE} bytes: it is not one.`);
    return (await file.read()).toString('utf8');
  }
  if (json) return json;
  throw invalid(`Missing required parameter '${fileParam}'${jsonParam ? ` (or '${jsonParam}')` : ''}.`);
}
