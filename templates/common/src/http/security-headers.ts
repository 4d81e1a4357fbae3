import helmet from 'helmet';

/**
 * The security headers of every response, computed once at start with
 * helmet's API profile: nothing may be framed, loaded or cached, and
 * browsers must not sniff types. helmet runs once against a stub response
 * and its headers are then copied onto each reply, which costs a few
 * `setHeader` calls instead of helmet's per-request middleware chain.
 */
export function securityHeaders(): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {};
  const stub = {
    setHeader(name: string, value: unknown) {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  const middleware = helmet({
    // An API serves JSON, never documents: nothing to load, nothing may frame it.
    contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
    frameguard: { action: 'deny' },
    strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
  });
  middleware({} as never, stub as never, () => undefined);
  // Responses carry personal data and tokens: no shared or browser cache may keep them.
  headers['cache-control'] = 'no-store';
  return Object.freeze(headers);
}
