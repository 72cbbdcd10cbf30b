import type { IncomingMessage } from 'node:http';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isResponseSerializationError } from 'fastify-type-provider-zod';
import { ZodError } from 'zod';
import { AppError, isAppError, wireMessage } from '../errors.js';
import { describeIssue } from './validation.js';

// The one place where errors become HTTP statuses and `{ code, message, requestId }` bodies.

export interface ErrorHandlerOptions {
  bodyLimitBytes: number;
}

const mib = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 100) / 100} MiB`;

function toAppError(err: FastifyError | Error, o: ErrorHandlerOptions): AppError {
  if (isAppError(err)) return err;
  // A service re-validating a merged document (e.g. a partial update) reports like input validation does.
  if (err instanceof ZodError) {
    const issue = err.issues[0];
    return new AppError('missingParameter', { message: issue ? describeIssue(issue, undefined, 'body') : 'invalid' });
  }
  const f = err as FastifyError;
  const tooLarge = () =>
    new AppError('payloadTooLarge', {
      shown: `the limit is ${mib(o.bodyLimitBytes)} (FACEGATE_BODY_LIMIT_MB); send smaller images`,
    });
  switch (f.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return tooLarge();
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('unsupportedMediaType');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('emptyJson');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new AppError('invalidJson');
  }
  if (err instanceof SyntaxError && f.statusCode === 400) return new AppError('invalidJson');
  if (f.statusCode === 413) return tooLarge();
  return new AppError('internal', { cause: err });
}

/** The most of an unread body a 413 reads and discards before answering; past it the connection is cut. */
const DRAIN_MAX_BYTES = 256 * 1024 * 1024;
const DRAIN_TIMEOUT_MS = 30_000;

/**
 * Reads and discards the rest of a refused body. A server that answers and closes while the client is still
 * sending makes the client's write fail (EPIPE, ECONNRESET: Node's fetch reports "fetch failed" instead of the
 * 413); once the client has sent everything, it reads the answer. Bounded in bytes and time.
 */
function drain(raw: IncomingMessage): Promise<void> {
  if (raw.complete || raw.readableEnded || raw.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    let read = 0;
    const done = () => {
      clearTimeout(timer);
      raw.off('data', onData);
      resolve();
    };
    const onData = (chunk: Buffer) => {
      read += chunk.length;
      if (read > DRAIN_MAX_BYTES) {
        raw.destroy();
        done();
      }
    };
    const timer = setTimeout(() => {
      raw.destroy();
      done();
    }, DRAIN_TIMEOUT_MS);
    raw.on('data', onData);
    raw.once('end', done);
    raw.once('close', done);
    raw.once('error', done);
    raw.resume();
  });
}

export function createErrorHandler(o: ErrorHandlerOptions) {
  return async function errorHandler(err: FastifyError, request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const appError = clientWentAway(err, request) ? new AppError('requestAborted') : toAppError(err, o);
    if (appError.status >= 500) {
      // Logged with the original error; the client sees only the catalogue's message and the request id to quote.
      request.log.error({ err: isResponseSerializationError(err) ? { message: err.message } : err }, 'request failed');
    }
    // Only a body refused for its size is still unread (an image refused for its pixels was read whole).
    if (appError.kind === 'payloadTooLarge') {
      reply.header('connection', 'close');
      await drain(request.raw);
    }
    await reply.status(appError.status).type('application/json; charset=utf-8').send(errorBody(appError, request));
  };
}

/** A client that closed its connection mid-upload is no server failure (#14): info, not error, in the log. */
function clientWentAway(err: FastifyError | Error, request: FastifyRequest): boolean {
  const gone = request.raw.aborted || ((err as FastifyError).code === 'ECONNRESET' && !request.raw.complete);
  if (gone) request.log.info({ code: (err as FastifyError).code }, 'client closed the connection before its request');
  return gone;
}

/** Only code, message, data and the request id: an AppError's `detail` (a score kept for the records) stays here. */
function errorBody(e: AppError, request: FastifyRequest): string {
  const body: Record<string, unknown> = { code: e.code, message: wireMessage(e) };
  if (e.data !== undefined) body['data'] = e.data;
  body['requestId'] = request.id;
  return JSON.stringify(body);
}

export function notFoundHandler(request: FastifyRequest, reply: FastifyReply): void {
  const e = new AppError('routeNotFound', { shown: `${request.method} ${request.url.split('?')[0]}` });
  void reply.status(e.status).type('application/json; charset=utf-8').send(errorBody(e, request));
}
