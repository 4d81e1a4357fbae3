import { argon2id, hash, needsRehash as argonNeedsRehash, verify } from 'argon2';
import type { Config } from '../config.js';
import { AppError } from '../http/errors.js';
import { isCommonPassword } from './common-passwords.js';

/** Shortest accepted password (OWASP ASVS 5.0: at least 8). */
export const PASSWORD_MIN_LENGTH = 8;
/** Longest accepted password: longer ones are refused before hashing, so nobody makes the server hash megabytes. */
export const PASSWORD_MAX_LENGTH = 128;

/** argon2id parameters from the settings (never below OWASP's m=19456 KiB, t=2, p=1; config.ts enforces it). */
export function hashOptions(config: Config) {
  return {
    type: argon2id,
    memoryCost: config.AUTH_ARGON2_MEMORY_KIB,
    timeCost: config.AUTH_ARGON2_TIME_COST,
    parallelism: config.AUTH_ARGON2_PARALLELISM,
  } as const;
}

/**
 * Refuses a new password that is too short, too long or common (400 naming
 * the field). The password is taken exactly as given: no trimming, no
 * Unicode normalisation, so what the user typed is what is hashed.
 */
export function checkNewPassword(password: string, field = 'password'): void {
  // Length in code points, as ajv counts it: an emoji is one character.
  const length = [...password].length;
  let message: string | undefined;
  if (length < PASSWORD_MIN_LENGTH) message = `must be at least ${PASSWORD_MIN_LENGTH} characters`;
  else if (length > PASSWORD_MAX_LENGTH) message = `must be at most ${PASSWORD_MAX_LENGTH} characters`;
  else if (isCommonPassword(password)) message = 'is too common; choose another';
  if (message) throw new AppError(400, 'WEAK_PASSWORD', `The password ${message}.`, [{ in: 'body', field, message }]);
}

/** The argon2id hash (PHC string with its parameters and salt) of `password`. */
export function hashPassword(password: string, config: Config): Promise<string> {
  return hash(password, hashOptions(config));
}

/** True when `password` matches `stored`; false (never a throw) for a malformed hash. */
export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

/** True when `stored` was made with weaker parameters than the settings ask for now. */
export function needsRehash(stored: string, config: Config): boolean {
  const { memoryCost, timeCost, parallelism } = hashOptions(config);
  return argonNeedsRehash(stored, { memoryCost, timeCost, parallelism });
}
