import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { constraints } from '../generated/constraints.js';
import { errorAnswer } from './error-answer.js';
import { AppError, errorEnvelope, fromDatabaseError } from './errors.js';
import { validationFailed } from './validation.js';

const PART: Record<string, string> = { querystring: 'query', params: 'params', body: 'body', headers: 'header' };

const CLIENT_ERRORS: Record<number, [string, string]> = {
  400: ['BAD_REQUEST', 'The request is malformed.'],
  404: ['NOT_FOUND', 'Not found.'],
  405: ['METHOD_NOT_ALLOWED', 'Method not allowed.'],
  406: ['NOT_ACCEPTABLE', 'Not acceptable.'],
  413: ['PAYLOAD_TOO_LARGE', 'The request body is too large.'],
  415: ['UNSUPPORTED_MEDIA_TYPE', 'The content type is not supported; send application/json.'],
  429: ['TOO_MANY_REQUESTS', 'Too many requests.'],
};

/** Turns anything thrown into the error envelope; 5xx never reveal their cause to the client. */
function toAppError(error: FastifyError, request: FastifyRequest): AppError {
  if (error instanceof AppError) return error;
  if (error.validation) {
    const part = PART[error.validationContext ?? 'body'] ?? 'body';
    return validationFailed(part, error.validation);
  }
  const status = error.statusCode ?? 500;
  if (status === 415 || error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', 'The content type is not supported; send application/json.');
  }
  if (status >= 400 && status < 500) {
    const [code, message] = CLIENT_ERRORS[status] ?? ['BAD_REQUEST', 'The request cannot be processed.'];
    return new AppError(status, code, message);
  }
  const fromDb = fromDatabaseError(error, constraints, request.method === 'DELETE' ? 'delete' : 'write');
  if (fromDb) return fromDb;
  return new AppError(500, 'INTERNAL', 'An unexpected error occurred.');
}

/** Fastify error handler: the error envelope of every failed request. */
export function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const appError = toAppError(error, request);
  // Deliberate errors (AppError, also 501/503) are expected; anything else is a bug worth a stack trace.
  if (appError.status >= 500 && !(error instanceof AppError)) request.log.error({ err: error }, 'request failed');
  else request.log.info({ code: appError.code, status: appError.status }, appError.message);
  // The spec's routes (those with an operation) answer in the spec's error schema.
  const answer = errorAnswer(appError, request.id, request.routeOptions.config?.operation?.operationId);
  void reply.status(answer.status).headers(appError.headers).type(answer.type).send(answer.payload);
}

/**
 * 404 for paths that do not exist; 405 with `Allow` for a known path and
 * another method (OPTIONS there answers 204 with `Allow`).
 */
export function notFoundHandler(request: FastifyRequest, reply: FastifyReply): void {
  const path = request.url.split('?')[0]!;
  const allowed = request.server.routeTable.allowed(path);
  if (allowed) {
    const allow = [...allowed, 'OPTIONS'].join(', ');
    if (request.method === 'OPTIONS') {
      void reply.status(204).header('allow', allow).send();
      return;
    }
    const error = new AppError(405, 'METHOD_NOT_ALLOWED', `${request.method} is not allowed on ${path}; use ${allowed.join(', ')}.`);
    void reply.status(405).header('allow', allow).send(errorEnvelope(error, request.id));
    return;
  }
  const error = new AppError(404, 'NOT_FOUND', `No route for ${request.method} ${path}.`);
  void reply.status(404).send(errorEnvelope(error, request.id));
}
