import { specErrorFormat } from '../generated/error-format.js';
import { type AppError, errorEnvelope, formatError } from './errors.js';

/** An error answer ready to send: its media type and JSON text. */
export interface ErrorAnswer {
  type: string;
  payload: string;
}

/**
 * The body of a failed request. The spec's own routes answer in the error
 * schema the spec declares (when it declares one); tenon's routes (auth,
 * health, unknown paths) and specs without one answer with the envelope.
 */
export function errorAnswer(error: AppError, requestId: string, specRoute: boolean): ErrorAnswer {
  if (specRoute && specErrorFormat) {
    return { type: `${specErrorFormat.contentType}; charset=utf-8`, payload: JSON.stringify(formatError(error, specErrorFormat)) };
  }
  return { type: 'application/json; charset=utf-8', payload: JSON.stringify(errorEnvelope(error, requestId)) };
}
