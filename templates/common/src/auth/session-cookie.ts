import { CREDENTIALS } from '../generated/policy.js';

/**
 * The cookie login sets: the first apiKey `in: cookie` scheme of the spec
 * (accessTokenOf reads every one of them), or undefined when the spec has
 * none — then login, refresh and logout set no cookie at all.
 */
export const SESSION_COOKIE: string | undefined = CREDENTIALS.cookies[0];

/**
 * The attributes of the session cookie. `HttpOnly`: page scripts never read
 * the token (an injected script cannot carry it away). `Secure` unless
 * AUTH_COOKIE_SECURE=false (plain-http development; refused in production).
 * `SameSite=Strict`: the browser sends it only with requests its own site
 * makes, never with a link or form of another site — an API's pages call it
 * with fetch from its own site, so Lax's one gain (arriving signed in from a
 * link of another site, for HTML pages) buys nothing here, while Strict adds a
 * second CSRF defence to X-Requested-With. `Path=/`: every route of the API.
 */
function attributes(secure: boolean, maxAgeSeconds: number): string {
  return `Max-Age=${maxAgeSeconds}; Path=/; HttpOnly;${secure ? ' Secure;' : ''} SameSite=Strict`;
}

/**
 * The `Set-Cookie` value that hands a browser its access token, living as
 * long as the token (`expiresIn`), or undefined without a cookie scheme. A
 * JWT is base64url and dots: a cookie value as it is, nothing to encode.
 */
export function sessionCookie(accessToken: string, expiresIn: number, secure: boolean): string | undefined {
  return SESSION_COOKIE === undefined ? undefined : `${SESSION_COOKIE}=${accessToken}; ${attributes(secure, expiresIn)}`;
}

/** The `Set-Cookie` value that makes a browser drop the session cookie (logout), or undefined without a cookie scheme. */
export function clearedSessionCookie(secure: boolean): string | undefined {
  return SESSION_COOKIE === undefined ? undefined : `${SESSION_COOKIE}=; ${attributes(secure, 0)}`;
}
