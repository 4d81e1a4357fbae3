import type { NextFunction, Request, Response } from 'express';
import { constraints } from '../generated/constraints.js';
import { errorAnswer } from './error-answer.js';
import { AppError, errorEnvelope, fromDatabaseError } from './errors.js';
import type { RouteTable } from './route-table.js';

const CLIENT_ERRORS: Record<number, [string, string]> = {
  400: ['BAD_REQUEST', 'The request is malformed.'],
  404: ['NOT_FOUND', 'Not found.'],
  405: ['METHOD_NOT_ALLOWED', 'Method not allowed.'],
  413: ['PAYLOAD_TOO_LARGE', 'The request body is too large.'],
  415: ['UNSUPPORTED_MEDIA_TYPE', 'The content type is not supported; send application/json.'],
  429: ['TOO_MANY_REQUESTS', 'Too many requests.'],
};

interface HttpishError {
  status?: number;
  statusCode?: number;
  type?: string;
}

/** Turns anything thrown into the error envelope; 5xx never reveal their cause to the client. */
function toAppError(error: unknown, req: Request): AppError {
  if (error instanceof AppError) return error;
  const e = error as HttpishError;
  const status = e.status ?? e.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    const [code, message] = CLIENT_ERRORS[status] ?? ['BAD_REQUEST', 'The request cannot be processed.'];
    return new AppError(status, code, message);
  }
  return fromDatabaseError(error, constraints, req.method === 'DELETE' ? 'delete' : 'write') ??
    new AppError(500, 'INTERNAL', 'An unexpected error occurred.');
}

/** Express error middleware: the error envelope of every failed request. */
export function errorHandler(error: unknown, req: Request, res: Response, next: NextFunction): void {
  if (res.headersSent) {
    next(error);
    return;
  }
  const appError = toAppError(error, req);
  // Deliberate errors (AppError, also 501/503) are expected; anything else is a bug worth a stack trace.
  if (appError.status >= 500 && !(error instanceof AppError)) req.log.error({ err: error }, 'request failed');
  // The spec's routes (those with an operation) answer in the spec's error schema.
  const answer = errorAnswer(appError, String(req.id), req.operation?.operationId);
  res.status(answer.status).set(appError.headers).type(answer.type).send(answer.payload);
}

/** 404 for paths that do not exist; 405 with `Allow` for a known path and another method. */
export function notFoundHandler(req: Request, res: Response): void {
  const allowed = (req.app.locals.routeTable as RouteTable).allowed(req.path);
  if (allowed) {
    const error = new AppError(405, 'METHOD_NOT_ALLOWED', `${req.method} is not allowed on ${req.path}; use ${allowed.join(', ')}.`);
    res.status(405).setHeader('allow', [...allowed, 'OPTIONS'].join(', '));
    res.json(errorEnvelope(error, String(req.id)));
    return;
  }
  const error = new AppError(404, 'NOT_FOUND', `No route for ${req.method} ${req.path}.`);
  res.status(404).json(errorEnvelope(error, String(req.id)));
}
