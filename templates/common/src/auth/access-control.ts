import { CREDENTIALS, type PermissionRule, policy, SEE_ALL_ROLES } from '../generated/policy.js';
import type { DataScope, OperationInfo } from '../http/access.js';
import { cookiesOf } from '../http/cookies.js';
import { AppError } from '../http/errors.js';
import type { Account, Accounts } from './accounts.js';
import type { AccessTokens, Principal, TokenClaims } from './tokens.js';

// The spec's apiKey cookie authenticates requests that change data only with X-Requested-With (accessTokenOf).
const COOKIE_HINT = CREDENTIALS.cookies.length > 0 ? ' (in a cookie: with X-Requested-With on POST, PUT, PATCH and DELETE)' : '';

/** 401 with the RFC 6750 challenge. */
export const unauthenticated = () =>
  new AppError(401, 'UNAUTHENTICATED', `Authentication required: send Authorization: Bearer <access token>${COOKIE_HINT}.`, undefined, {
    'www-authenticate': 'Bearer realm="api", error="invalid_token"',
  });
export const forbidden = () => new AppError(403, 'FORBIDDEN', 'You are not allowed to do this.');

/**
 * The routes the project serves itself, by path (src/http/health.ts): its probes and the API
 * description, open to anonymous callers; the probes are never rate limited nor shed when the
 * server is overloaded. Exactly these: a spec's operation under /health/ (hanko's GET
 * /health/alive) is served by its own policy and limits, not by its prefix.
 */
export const OWN_ROUTES: ReadonlyMap<string, 'probe' | 'document'> = new Map([
  ['/health/live', 'probe'],
  ['/health/ready', 'probe'],
  ['/openapi.json', 'document'],
]);

/** Paths open to anonymous callers besides the public auth endpoints: probes and the API description. */
export function isPublicPath(path: string): boolean {
  return OWN_ROUTES.has(path);
}

/** Whether a route (its pattern, or an exact path) is one of the project's own probes. */
export function isProbe(route: string | undefined): boolean {
  return route !== undefined && OWN_ROUTES.get(route) === 'probe';
}

const JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
// The scheme name is case-insensitive and may be followed by more than one space (RFC 9110
// §11.1, §11.4): `bearer <token>` from a client library is the same credentials.
const BEARER = /^Bearer +([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/i;
const BASIC = /^Basic +([A-Za-z0-9+/]+={0,2})$/i;
/**
 * An apiKey header's value: the token, or a word and the token. A spec that puts its key in
 * `Authorization` says the prefix only in prose (RealWorld: `Token <jwt>`), so any one word is taken.
 */
const KEY_HEADER = /^(?:[A-Za-z][A-Za-z0-9_-]{0,31} )?([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/;
/** Methods that change nothing: a cookie authenticates them without the CSRF header. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The header that makes a cookie-authenticated request that changes data
 * trustworthy: a page of another site cannot send it (it is not a header a
 * form or a simple request may carry, and the CORS preflight it needs is
 * refused to every origin outside CORS_ORIGINS). OWASP's "custom request
 * header" defence against cross-site request forgery.
 */
export const CSRF_HEADER = 'x-requested-with';

/** What the access token of a request is read from: its method and URL (the query string). */
export interface RequestLine {
  method: string;
  url: string;
}

/**
 * The access token of a request: `Authorization: Bearer`, or where the
 * spec's security schemes put it (`CREDENTIALS`): `Authorization: Basic`
 * with the token as the password (or as the user name when the password is
 * empty), an apiKey header, an apiKey query parameter (given once), or an
 * apiKey cookie — the cookie only on GET, HEAD and OPTIONS or with the
 * X-Requested-With header (`CSRF_HEADER`): a browser sends cookies with
 * requests other sites make it send, so without that header a cookie does
 * not authenticate a request that changes data (it runs as anonymous).
 * Undefined when there is none. Without `request`, the query string is not
 * read and the request is taken as one that changes data.
 */
export function accessTokenOf(
  headers: Readonly<Record<string, string | string[] | undefined>>,
  request: RequestLine = { method: 'POST', url: '' },
): string | undefined {
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
    const key = typeof value === 'string' ? KEY_HEADER.exec(value) : null;
    if (key) return key[1];
  }
  if (CREDENTIALS.query.length > 0) {
    const at = request.url.indexOf('?');
    const query = new URLSearchParams(at < 0 ? '' : request.url.slice(at + 1));
    for (const name of CREDENTIALS.query) {
      const values = query.getAll(name);
      if (values.length === 1 && JWT.test(values[0]!)) return values[0];
    }
  }
  if (CREDENTIALS.cookies.length > 0) {
    const forgeable = !SAFE_METHODS.has(request.method) && !headers[CSRF_HEADER];
    const cookie = headers.cookie;
    if (!forgeable && typeof cookie === 'string') {
      const cookies = cookiesOf(cookie);
      for (const name of CREDENTIALS.cookies) {
        const value = cookies[name];
        if (value !== undefined && JWT.test(value)) return value;
      }
    }
  }
  return undefined;
}

/**
 * A parsed query without the spec's apiKey query parameters: they carry
 * access tokens, which are read from the URL (accessTokenOf) and must never
 * reach validation (whose answers name parameters), a handler or a log line.
 */
export function withoutQueryCredentials<T extends Record<string, unknown>>(query: T): T {
  for (const name of CREDENTIALS.query) delete query[name];
  return query;
}

/** A URL without the spec's apiKey query parameters (for what keeps or hashes URLs: idempotency). */
export function urlWithoutCredentials(url: string): string {
  const at = url.indexOf('?');
  if (at < 0 || CREDENTIALS.query.length === 0) return url;
  const query = new URLSearchParams(url.slice(at + 1));
  for (const name of CREDENTIALS.query) query.delete(name);
  const rest = query.toString();
  return rest ? `${url.slice(0, at)}?${rest}` : url.slice(0, at);
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
  request?: RequestLine,
): Promise<Principal | undefined> {
  return authenticateNow(tokens, accounts, headers, request);
}

/**
 * {@link authenticate}, answered at once (no promise) when the token was verified before and its
 * account read within AUTH_ACCOUNT_CACHE_MS: the same checks, without a microtask on the hot path
 * of every request. A promise otherwise.
 */
export function authenticateNow(
  tokens: AccessTokens,
  accounts: Accounts,
  headers: Readonly<Record<string, string | string[] | undefined>>,
  request?: RequestLine,
): Principal | undefined | Promise<Principal | undefined> {
  const token = accessTokenOf(headers, request);
  if (!token) return undefined;
  const claims = tokens.verifyNow(token);
  if (claims instanceof Promise) return claims.then((known) => known && principalOf(accounts, known));
  return claims && principalOf(accounts, claims);
}

/** The principal of valid claims when their version is the account's now; the role is the account's. */
function principalOf(accounts: Accounts, claims: TokenClaims): Principal | undefined | Promise<Principal | undefined> {
  const account = accounts.getNow(claims.id);
  if (account instanceof Promise) return account.then((known) => current(known, claims));
  return current(account, claims);
}

function current(account: Account | undefined, claims: TokenClaims): Principal | undefined {
  if (!account || account.tokenVersion !== claims.version) return undefined;
  return { id: claims.id, role: account.role };
}

/** The grants of each `auth_users.role` value seen, by that value (cleared when it reaches MAX_GRANT_SETS). */
const GRANTS = new Map<string, readonly string[]>();
const MAX_GRANT_SETS = 1_000;

/**
 * What a caller holds: their role, then the scopes granted to them
 * (`npm run grant`), space-separated in `auth_users.role` like OAuth's `scope`.
 */
export function grantsOf(principal: Principal): readonly string[] {
  let grants = GRANTS.get(principal.role);
  if (grants === undefined) {
    // Every request of a caller asks again: the few distinct roles are split once, not per request.
    if (GRANTS.size >= MAX_GRANT_SETS) GRANTS.clear();
    grants = Object.freeze(principal.role.split(' ').filter(Boolean));
    GRANTS.set(principal.role, grants);
  }
  return grants;
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
