import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isResponseSerializationError } from 'fastify-type-provider-zod';
import { ZodError } from 'zod';
import { AppError, isAppError } from '../errors.js';
import { describeIssue } from './validation.js';

// The one place where errors become HTTP statuses and `{ code, message }` bodies.

function toAppError(err: FastifyError | Error): AppError {
  if (isAppError(err)) return err;
  // A service re-validating a merged document (e.g. a partial update) reports like input validation does.
  if (err instanceof ZodError) {
    const issue = err.issues[0];
    return new AppError('missingParameter', { message: issue ? describeIssue(issue, undefined, 'body') : 'invalid' });
  }
  const f = err as FastifyError;
  switch (f.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('payloadTooLarge');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('unsupportedMediaType');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('invalidJson', { message: 'empty_json_body' });
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new AppError('invalidJson');
  }
  if (err instanceof SyntaxError && f.statusCode === 400) return new AppError('invalidJson');
  if (f.statusCode === 413) return new AppError('payloadTooLarge');
  return new AppError('internal', { cause: err });
}

export function errorHandler(err: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const appError = toAppError(err);
  if (appError.status >= 500) {
    // Logged with the original error; the client sees only the catalogue's message.
    request.log.error({ err: isResponseSerializationError(err) ? { message: err.message } : err }, 'request failed');
  }
  // Only code, message and data: an AppError's `detail` (a score kept for the records) never leaves the server.
  const body: Record<string, unknown> = { code: appError.code, message: appError.message };
  if (appError.data !== undefined) body['data'] = appError.data;
  void reply.status(appError.status).type('application/json; charset=utf-8').send(JSON.stringify(body));
}

export function notFoundHandler(_request: FastifyRequest, reply: FastifyReply): void {
  const e = new AppError('routeNotFound');
  void reply.status(e.status).send({ code: e.code, message: e.message });
}
