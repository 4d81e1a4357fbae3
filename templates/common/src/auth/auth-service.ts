import { randomUUID } from 'node:crypto';
import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import { AppError } from '../http/errors.js';
import type { AccountLimits } from '../http/rate-limit.js';
import type { Accounts } from './accounts.js';
import { checkNewPassword, hashPassword, needsRehash, verifyPassword } from './passwords.js';
import { SILENT, type SecurityLog } from './security-events.js';
import { type AccessTokens, hashRefreshToken, newRefreshToken, type Principal, type TokenSubject } from './tokens.js';
import { createUser, PUBLIC_USER_COLUMNS, type PublicUser, type UserRow } from './users.js';

/** What login and refresh answer. */
export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  /** Seconds until the access token expires. */
  expiresIn: number;
}

/** Registration, login, token refresh and rotation, logout, password change. */
export interface AuthService {
  register(input: { email: string; password: string }): Promise<PublicUser>;
  login(input: { email: string; password: string }): Promise<TokenPair>;
  refresh(refreshToken: string): Promise<TokenPair>;
  logout(refreshToken: string): Promise<void>;
  me(principal: Principal): Promise<PublicUser>;
  changePassword(principal: Principal, input: { currentPassword: string; newPassword: string }): Promise<void>;
}

/** The one answer to every failed login: unknown email, wrong password and locked account look the same. */
export const invalidCredentials = () =>
  new AppError(401, 'INVALID_CREDENTIALS', 'The email address or password is not correct.');
const invalidRefreshToken = () =>
  new AppError(401, 'INVALID_TOKEN', 'The refresh token is not valid; log in again.');

/**
 * The lockout delay after `failures` failed logins: none below the
 * threshold, then 1 s doubling per failure, capped at
 * AUTH_LOCKOUT_MAX_SECONDS, so other people can delay a login but never
 * lock an account out for longer than the cap.
 */
export function lockoutSeconds(failures: number, config: Config): number {
  const over = failures - config.AUTH_LOCKOUT_THRESHOLD;
  if (over < 0) return 0;
  return Math.min(2 ** Math.min(over, 30), config.AUTH_LOCKOUT_MAX_SECONDS);
}

interface RefreshRow {
  id: number;
  family_id: string;
  user_id: number;
  expires_at: Date;
  used_at: Date | null;
  revoked_at: Date | null;
}

const UNLIMITED: AccountLimits = { hit: async () => undefined };

/** What the auth service works with besides the database, the settings and the token signer. */
export interface AuthServiceOptions {
  /** Attempts per account (login and register by email, refresh and password change by user), on top of the per-address limits of the routes. */
  limits?: AccountLimits;
  /** The app's account cache: told at once when this process revokes tokens, so they stop here without waiting for it to expire. */
  accounts?: Pick<Accounts, 'forget'>;
  /** Where security events go (login failures, lockouts, refresh-token reuse, logouts, password changes). */
  log?: SecurityLog;
}

/**
 * Raises a user's token version: every access token issued to them before is refused
 * (by this process at once, by the others within AUTH_ACCOUNT_CACHE_MS).
 */
const REVOKE_ACCESS_TOKENS = 'update auth_users set token_version = token_version + 1 where id = $1';

/** Creates the auth service over `db`. */
export function createAuthService(db: Db, config: Config, tokens: AccessTokens, options: AuthServiceOptions = {}): AuthService {
  const limits = options.limits ?? UNLIMITED;
  const log = options.log ?? SILENT;
  const forget = (id: number) => options.accounts?.forget(id);
  // Unknown emails are checked against this hash, so they cost as much time as a wrong password.
  // Made now, not at the first unknown email, whose answer would otherwise take twice as long.
  const dummyHash = hashPassword(`dummy-${randomUUID()}`, config);
  dummyHash.catch(() => undefined);
  const dummy = () => dummyHash;

  async function issue(user: TokenSubject, family?: { id: string; expiresAt: Date }, tx = db) {
    const refreshToken = newRefreshToken();
    const expiresAt = family?.expiresAt ?? new Date(Date.now() + config.AUTH_REFRESH_TOKEN_TTL_DAYS * 86_400_000);
    await tx.query(
      'insert into auth_refresh_tokens (token_hash, family_id, user_id, expires_at) values ($1, $2, $3, $4)',
      [hashRefreshToken(refreshToken), family?.id ?? randomUUID(), user.id, expiresAt],
    );
    const accessToken = await tokens.sign(user);
    return { accessToken, refreshToken, tokenType: 'Bearer' as const, expiresIn: tokens.ttlSeconds };
  }

  /** The event of a login whose claim found no account to count against: unknown email, or locked. */
  function logUnclaimedFailure(email: string): void {
    db.query<{ id: number }>('select id from auth_users where lower(email) = lower($1)', [email]).then(
      ({ rows }) => log('auth.login_failed', { userId: rows[0]?.id ?? null, reason: rows[0] ? 'locked' : 'unknown' }),
      () => log('auth.login_failed', { userId: null, reason: 'unknown' }),
    );
  }

  return {
    async register({ email, password }) {
      await limits.hit('register', email.toLowerCase());
      return createUser(db, config, { email, password, role: 'user' });
    },

    async login({ email, password }) {
      await limits.hit('login', email.toLowerCase());
      // The attempt is claimed before the password is checked, in one statement: the failure is
      // counted (and the lock set when it reaches the threshold) up front, so parallel guesses
      // each take a number and those past the threshold find the account locked. A locked account
      // returns no row: attempts during a lock are not counted and never extend it.
      const { rows } = await db.query<UserRow & { token_version: number }>(
        `update auth_users
            set failed_logins = failed_logins + 1,
                locked_until = case when failed_logins + 1 >= $2
                  then now() + make_interval(secs => least(power(2, least(failed_logins + 1 - $2, 30)), $3)::int)
                  else locked_until end
          where lower(email) = lower($1) and (locked_until is null or locked_until <= now())
          returning ${PUBLIC_USER_COLUMNS}, password_hash, failed_logins, locked_until, token_version`,
        [email, config.AUTH_LOCKOUT_THRESHOLD, config.AUTH_LOCKOUT_MAX_SECONDS],
      );
      const user = rows[0];
      // Exactly one argon2 verification on every path: the time does not tell which one was taken.
      const matches = await verifyPassword(user?.password_hash ?? (await dummy()), password);
      // Unknown, locked, or wrong: the failure is already counted.
      if (!user) {
        // Unknown or locked: which one is looked up after the answer, so its time tells nothing.
        setImmediate(() => logUnclaimedFailure(email));
        throw invalidCredentials();
      }
      if (!matches) {
        log('auth.login_failed', { userId: user.id, reason: 'password', failures: user.failed_logins });
        // This failure reached the threshold: the claim above set the lock.
        if (user.failed_logins >= config.AUTH_LOCKOUT_THRESHOLD) {
          log('auth.lockout_started', {
            userId: user.id,
            failures: user.failed_logins,
            lockedSeconds: lockoutSeconds(user.failed_logins, config),
          });
        }
        throw invalidCredentials();
      }
      const rehash = needsRehash(user.password_hash, config) ? await hashPassword(password, config) : null;
      await db.query(
        'update auth_users set failed_logins = 0, locked_until = null, password_hash = coalesce($2, password_hash) where id = $1',
        [user.id, rehash],
      );
      return issue({ id: user.id, role: user.role, tokenVersion: user.token_version });
    },

    async refresh(refreshToken) {
      return db.transaction(async (tx) => {
        const { rows } = await tx.query<RefreshRow & { role: string; token_version: number }>(
          `select t.id, t.family_id, t.user_id, t.expires_at, t.used_at, t.revoked_at, u.role, u.token_version
             from auth_refresh_tokens t join auth_users u on u.id = t.user_id
            where t.token_hash = $1 for update of t`,
          [hashRefreshToken(refreshToken)],
        );
        const row = rows[0];
        if (!row || row.revoked_at !== null || row.expires_at.getTime() <= Date.now()) throw invalidRefreshToken();
        // Per account, whatever the address: a 429 here rolls back and changes nothing.
        await limits.hit('refresh', String(row.user_id));
        if (row.used_at !== null) {
          // Reuse of a rotated token: someone else has a copy. Revoke the whole family (RFC 9700 §4.14.2).
          await tx.query(
            'update auth_refresh_tokens set revoked_at = now() where family_id = $1 and revoked_at is null',
            [row.family_id],
          );
          // And every access token of the account: one of them may be the thief's.
          await tx.query(REVOKE_ACCESS_TOKENS, [row.user_id]);
          return { reused: true as const, userId: row.user_id, familyId: row.family_id };
        }
        await tx.query('update auth_refresh_tokens set used_at = now() where id = $1', [row.id]);
        // The new token keeps the family's absolute expiry: rotation never extends a session.
        const subject = { id: row.user_id, role: row.role, tokenVersion: row.token_version };
        return issue(subject, { id: row.family_id, expiresAt: row.expires_at }, tx);
      }).then((result) => {
        // Thrown after the commit, so the revocation stays.
        if ('reused' in result) {
          forget(result.userId);
          log('auth.refresh_token_reused', { userId: result.userId, familyId: result.familyId });
          throw invalidRefreshToken();
        }
        return result;
      });
    },

    async logout(refreshToken) {
      const { rows } = await db.query<{ family_id: string; user_id: number }>(
        'select family_id, user_id from auth_refresh_tokens where token_hash = $1',
        [hashRefreshToken(refreshToken)],
      );
      const session = rows[0];
      if (!session) throw invalidRefreshToken();
      await db.transaction(async (tx) => {
        await tx.query('update auth_refresh_tokens set revoked_at = now() where family_id = $1 and revoked_at is null', [
          session.family_id,
        ]);
        // The session's access tokens end too. A token does not say which session it belongs to, so
        // the account's other sessions refresh theirs once (their refresh tokens stay valid).
        await tx.query(REVOKE_ACCESS_TOKENS, [session.user_id]);
      });
      forget(session.user_id);
      log('auth.logout', { userId: session.user_id, familyId: session.family_id });
    },

    async me(principal) {
      const { rows } = await db.query<PublicUser>(`select ${PUBLIC_USER_COLUMNS} from auth_users where id = $1`, [
        principal.id,
      ]);
      if (!rows[0]) throw new AppError(401, 'UNAUTHENTICATED', 'The account no longer exists.');
      return rows[0];
    },

    async changePassword(principal, { currentPassword, newPassword }) {
      // An attempt counter on the current password: a stolen access token cannot guess it freely.
      await limits.hit('password', String(principal.id));
      const { rows } = await db.query<{ password_hash: string }>('select password_hash from auth_users where id = $1', [
        principal.id,
      ]);
      if (!rows[0] || !(await verifyPassword(rows[0].password_hash, currentPassword))) {
        throw new AppError(401, 'INVALID_CREDENTIALS', 'The current password is not correct.');
      }
      checkNewPassword(newPassword, 'newPassword');
      const hash = await hashPassword(newPassword, config);
      await db.transaction(async (tx) => {
        await tx.query(
          'update auth_users set password_hash = $2, password_changed_at = now(), token_version = token_version + 1, updated_at = now() where id = $1',
          [principal.id, hash],
        );
        // Every session of the account ends: whoever knew the old password loses access.
        await tx.query('update auth_refresh_tokens set revoked_at = now() where user_id = $1 and revoked_at is null', [
          principal.id,
        ]);
      });
      // Every access token too, the caller's included: whoever knew the old password is out.
      forget(principal.id);
      log('auth.password_changed', { userId: principal.id });
    },
  };
}
