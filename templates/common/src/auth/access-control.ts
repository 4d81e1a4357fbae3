import { CREDENTIALS, type PermissionRule, policy, SEE_ALL_ROLES } from '../generated/policy.js';
import type { DataScope, OperationInfo } from '../http/access.js';
import { AppError } from '../http/errors.js';
import type { Accounts } from './accounts.js';
import type { AccessTokens, Principal } from './tokens.js';

/** 401 with the RFC 6750 challenge. */
export const unauthenticated = () =>
  new AppError(401, 'UNAUTHENTICATED', 'Authentication required: send Authorization: Bearer <access token>.', undefined, {
    'www-authenticate': 'Bearer realm="api", error="invalid_token"',
  });
export const forbidden = () => new AppError(403, 'FORBIDDEN', 'You are not allowed to do this.');

/** Paths open to anonymous callers besides the public auth endpoints: probes and the API description. */
export function isPublicPath(path: string): boolean {
  return path.startsWith('/health/') || path === '/openapi.json';
}

const JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/;
const BASIC = /^Basic ([A-Za-z0-9+/]+={0,2})$/;

/**
 * The access token of a request: `Authorization: Bearer`, or where the
 * spec's security schemes put it (`CREDENTIALS`): `Authorization: Basic`
 * with the token as the password (or as the user name when the password is
 * empty), or an apiKey header. Undefined when there is none.
 */
export function accessTokenOf(headers: Readonly<Record<string, string | string[] | undefined>>): string | undefined {
  const authorization = headers.authorization;
  if (typeof authorization === 'string') {
    const bearer = BEARER.exec(authorization);
    if (bearer) return bearer[1];
    const basic = CREDENTIALS.basic ? BASIC.exec(authorization) : null;
    if (basic) {
      const text = Buffer.from(basic[1]!, 'base64').toString('utf8');
      const colon = text.indexOf(':');
      const user = colon < 0 ? text : text.slice(0, colon);
      const password = colon < 0 ? '' : text.slice(colon + 1);
      const token = password || user;
      return JWT.test(token) ? token : undefined;
    }
  }
  for (const name of CREDENTIALS.headers) {
    const value = headers[name];
    if (typeof value === 'string' && JWT.test(value)) return value;
  }
  return undefined;
}

/**
 * The principal of a request's access token (see accessTokenOf), or undefined when there is none, it
 * is not valid, or it was revoked: its `ver` is no longer the account's token version (logout,
 * password change, refresh-token reuse) or the account is gone. The role comes from the account,
 * never from the token, so a role change counts too. Accounts are cached for AUTH_ACCOUNT_CACHE_MS
 * (accounts.ts).
 */
export async function authenticate(
  tokens: AccessTokens,
  accounts: Accounts,
  headers: Readonly<Record<string, string | string[] | undefined>>,
): Promise<Principal | undefined> {
  const token = accessTokenOf(headers);
  if (!token) return undefined;
  const claims = await tokens.verify(token);
  if (!claims) return undefined;
  const account = await accounts.get(claims.id);
  if (!account || account.tokenVersion !== claims.version) return undefined;
  return { id: claims.id, role: account.role };
}

/**
 * What a caller holds: their role, then the scopes granted to them
 * (`npm run grant`), space-separated in `auth_users.role` like OAuth's `scope`.
 */
export function grantsOf(principal: Principal): string[] {
  return principal.role.split(' ').filter(Boolean);
}

/**
 * Whether grants satisfy a rule: one of its alternatives entirely (each
 * security requirement of the spec needs all its scopes; the requirements
 * are alternatives), or, for role rules, one of its roles.
 */
export function allows(rule: PermissionRule, grants: readonly string[]): boolean {
  if (rule.anyOf) return rule.anyOf.some((all) => all.every((g) => grants.includes(g)));
  return rule.roles.some((role) => grants.includes(role));
}

/** Whether a caller's role sees every row (and so their writes are logged as `admin.write`). */
export function seesAll(principal: Principal): boolean {
  const grants = grantsOf(principal);
  return SEE_ALL_ROLES.some((role) => grants.includes(role));
}

/**
 * The scope of an anonymous caller on an operation the spec opens to anyone:
 * the owner of no row. User ids are identities from 1, so `owner_id = 0`
 * matches nothing: rows of owned resources stay out of reach through
 * references and embeds, as they would for a user who owns none.
 */
export const ANONYMOUS: DataScope = Object.freeze({ ownerId: 0 });

/**
 * Decides a request: anonymous callers get 401 (unless the spec opens the
 * operation to anyone: `security: []`), callers whose role has no rule for
 * the operation's permission get 403 (deny by default: a permission missing
 * from the policy is allowed to nobody), everyone else gets the data scope
 * to run with — their own rows of owned resources, unless their role may see
 * all. The scope holds on every operation, not only on owned resources' own
 * routes: a public resource that refers to an owned one embeds and accepts
 * only the caller's rows.
 */
export function authorize(principal: Principal | undefined, operation: OperationInfo): DataScope {
  const rule = policy[operation.operationId];
  if (!principal) {
    if (rule?.public) return ANONYMOUS;
    throw unauthenticated();
  }
  const grants = grantsOf(principal);
  if (!rule || !(rule.public || allows(rule, grants))) throw forbidden();
  if (!seesAll(principal)) return { ownerId: principal.id, userId: principal.id };
  return { userId: principal.id };
}
