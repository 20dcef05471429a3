import { type FastifyReply, type FastifyRequest, LogController } from 'fastify';

/**
 * One log line per request, when it completes: method, path (secrets redacted by the
 * serializers in log-safe.ts), status and time — at debug level, or at info when log.accessLog
 * is on. Fastify's own "incoming request" line is not written.
 */
export class AccessLog extends LogController {
  readonly #level: 'info' | 'debug';

  constructor(atInfo: boolean) {
    super();
    this.#level = atInfo ? 'info' : 'debug';
  }

  override incomingRequest(): void {}

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    const line = {
      req: request,
      res: { statusCode: reply.statusCode },
      responseTime: Math.round(reply.elapsedTime),
    };
    if (error) request.log.error({ ...line, err: error }, 'request errored');
    else request.log[this.#level](line, 'request');
  }
}
