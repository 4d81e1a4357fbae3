import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import { AppError } from '../http/errors.js';
import { checkNewPassword, hashPassword } from './passwords.js';

/** A user as the API shows it: never the hash, counters or tokens. */
export interface PublicUser {
  id: number;
  email: string;
  role: string;
}

/** A user row as the auth service reads it. */
export interface UserRow extends PublicUser {
  password_hash: string;
  failed_logins: number;
  locked_until: Date | null;
}

/** Columns of {@link PublicUser}. */
export const PUBLIC_USER_COLUMNS = 'id, email, role';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Creates a user with a checked, argon2id-hashed password. The only way to
 * make an `admin` is to call this with that role (`npm run create-admin`):
 * registering through the API always makes a `user`.
 *
 * @throws AppError 400 `WEAK_PASSWORD` / `VALIDATION_FAILED`, 409 `EMAIL_TAKEN`.
 */
export async function createUser(
  db: Db,
  config: Config,
  input: { email: string; password: string; role: string },
): Promise<PublicUser> {
  if (!EMAIL.test(input.email) || input.email.length > 254) {
    throw new AppError(400, 'VALIDATION_FAILED', 'The email address is not valid.', [
      { in: 'body', field: 'email', message: 'must be an email address' },
    ]);
  }
  checkNewPassword(input.password);
  const hash = await hashPassword(input.password, config);
  try {
    const { rows } = await db.query<PublicUser>(
      `insert into auth_users (email, password_hash, role) values ($1, $2, $3) returning ${PUBLIC_USER_COLUMNS}`,
      [input.email, hash, input.role],
    );
    return rows[0]!;
  } catch (error) {
    if ((error as { code?: string }).code === '23505') {
      throw new AppError(409, 'EMAIL_TAKEN', 'An account with this email address exists.', [
        { in: 'body', field: 'email', message: 'is already registered' },
      ]);
    }
    throw error;
  }
}
