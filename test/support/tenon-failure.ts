import { isTenonError, type TenonError } from '../../src/core/errors.js';

/** The TenonError `promise` rejects with; fails the test when it resolves or rejects with anything else. */
export async function tenonFailure(promise: Promise<unknown>): Promise<TenonError> {
  try {
    await promise;
  } catch (error) {
    if (isTenonError(error)) return error;
    throw error;
  }
  throw new Error('expected the call to fail with a TenonError');
}
