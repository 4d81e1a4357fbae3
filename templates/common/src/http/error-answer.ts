import { type SpecErrors, specErrors } from '../generated/error-format.js';
import { type AppError, type ErrorFormat, errorEnvelope, formatError } from './errors.js';

/** An error answer ready to send: its media type and JSON text. */
export interface ErrorAnswer {
  type: string;
  payload: string;
}

/**
 * The spec's error format for `status` on an operation: the one it declares for that status,
 * else for its range (`4XX`), else `default`, else the spec's most used one.
 */
export function specErrorFormat(errors: SpecErrors, operationId: string, status: number): ErrorFormat {
  const declared = errors.operations[operationId] ?? {};
  const index = declared[String(status)] ?? declared[`${String(status)[0]}XX`] ?? declared.default ?? errors.fallback;
  return errors.formats[index]!;
}

/**
 * The body of a failed request. The spec's own routes (`operationId` given) answer in the error
 * schema the spec declares for that operation and status (when it declares one); tenon's routes
 * (auth, health, unknown paths) and specs without one answer with the envelope.
 */
export function errorAnswer(error: AppError, requestId: string, operationId: string | undefined): ErrorAnswer {
  if (operationId !== undefined && specErrors) {
    const format = specErrorFormat(specErrors, operationId, error.status);
    return { type: `${format.contentType}; charset=utf-8`, payload: JSON.stringify(formatError(error, format.body)) };
  }
  return { type: 'application/json; charset=utf-8', payload: JSON.stringify(errorEnvelope(error, requestId)) };
}
