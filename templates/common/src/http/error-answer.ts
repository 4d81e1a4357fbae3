import { type SpecErrors, specErrors, validationStatuses } from '../generated/error-format.js';
import { AppError, type ErrorFormat, errorEnvelope, formatError } from './errors.js';

/** An error answer ready to send: its status, media type and JSON text. */
export interface ErrorAnswer {
  status: number;
  type: string;
  payload: string;
}

/**
 * The spec's error format for `status` on an operation: the one it declares for that status,
 * else for its range (`4XX`), else `default`, else the spec's most used JSON one (none: the envelope).
 */
export function specErrorFormat(errors: SpecErrors, operationId: string, status: number): ErrorFormat | undefined {
  const declared = errors.operations[operationId] ?? {};
  const index = declared[String(status)] ?? declared[`${String(status)[0]}XX`] ?? declared.default ?? errors.fallback;
  return errors.formats[index];
}

/**
 * The body of a failed request. The spec's own routes (`operationId` given) answer in the error
 * schema the spec declares for that operation and status (when it declares one); tenon's routes
 * (auth, health, unknown paths) and specs without one answer with the envelope.
 */
export function errorAnswer(raw: AppError, requestId: string, operationId: string | undefined): ErrorAnswer {
  const error = operationId === undefined ? raw : asDeclared(raw, operationId);
  const format = operationId !== undefined && specErrors ? specErrorFormat(specErrors, operationId, error.status) : undefined;
  if (format) {
    // A text/plain answer is the message; YAML ones are JSON text, which YAML 1.2 reads as it is.
    const body = formatError(error, format.body);
    const payload = format.kind === 'text' ? String(body) : JSON.stringify(body);
    return { status: error.status, type: `${format.contentType}; charset=utf-8`, payload };
  }
  return { status: error.status, type: 'application/json; charset=utf-8', payload: JSON.stringify(errorEnvelope(error, requestId)) };
}

/**
 * A validation failure (400 VALIDATION_FAILED) at the status the operation declares for one:
 * 422 where the spec declares 422 and no 400 (decided at generation time), else unchanged.
 */
function asDeclared(error: AppError, operationId: string): AppError {
  const status = validationStatuses[operationId];
  if (status === undefined || error.status !== 400 || error.code !== 'VALIDATION_FAILED') return error;
  return new AppError(status, error.code, error.message, error.details, error.headers);
}
