import type { Db } from '../db/database.js';
import { ROLES, SCOPES } from '../generated/policy.js';
import { AppError } from '../http/errors.js';
import { SILENT, type SecurityLog } from './security-events.js';

/** The roles and scopes of a user after a grant or a revoke. */
export interface Grants {
  email: string;
  role: string;
  scopes: string[];
}

/**
 * Grants a role or a scope to a user, or revokes a scope (`revoke`): a
 * role replaces the user's role (`admin`, `user`, or one the spec declares
 * with `x-tenon-roles`), a scope (named in the spec's security requirements)
 * is added next to it. They are kept in the `role` column, the role first
 * and the scopes after it, space-separated. Requests are decided on them,
 * not on the token: a running service sees the change within
 * AUTH_ACCOUNT_CACHE_MS (5 s by default). Logged as `auth.role_changed`.
 *
 * @throws AppError 404 `NOT_FOUND` for an unknown email, 400 `VALIDATION_FAILED` for a name the policy does not know.
 */
export async function grantAccess(
  db: Db,
  email: string,
  grant: string,
  options: { revoke?: boolean; log?: SecurityLog } = {},
): Promise<Grants> {
  const known = ROLES as readonly string[];
  if (!known.includes(grant)) {
    throw new AppError(400, 'VALIDATION_FAILED', `"${grant}" is neither a role nor a scope of this API (known: ${known.join(', ')}).`, [
      { in: 'body', field: 'grant', message: `must be one of ${known.join(', ')}` },
    ]);
  }
  const result = await db.transaction(async (tx) => {
    const { rows } = await tx.query<{ id: number; role: string }>(
      'select id, role from auth_users where lower(email) = lower($1) for update',
      [email],
    );
    if (!rows[0]) throw new AppError(404, 'NOT_FOUND', `No user has the email ${email}.`);
    let [role = 'user', ...scopes] = rows[0].role.split(' ').filter(Boolean);
    const isScope = (SCOPES as readonly string[]).includes(grant);
    if (options.revoke) {
      if (!isScope) throw new AppError(400, 'VALIDATION_FAILED', `"${grant}" is a role: grant another role instead of revoking it.`);
      scopes = scopes.filter((s) => s !== grant);
    } else if (isScope) {
      if (!scopes.includes(grant)) scopes.push(grant);
    } else role = grant;
    await tx.query('update auth_users set role = $2, updated_at = now() where id = $1', [rows[0].id, [role, ...scopes].join(' ')]);
    return { userId: rows[0].id, email, role, scopes };
  });
  const { userId, ...grants } = result;
  (options.log ?? SILENT)('auth.role_changed', { userId, role: grants.role, scopes: grants.scopes, grant, revoke: options.revoke === true });
  return grants;
}
