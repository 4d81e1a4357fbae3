import type { Spec, SpecOperation } from './spec-reader.js';

/**
 * The security requirement the oracle meets: one whose schemes all send a
 * Bearer token where the spec offers one, else the first. Undefined when
 * the spec asks for none (or opens the operation to anyone).
 */
function chosenRequirement(op: SpecOperation, spec: Spec): string[] | undefined {
  if (op.open) return undefined;
  const schemes = spec.bundled.components?.securitySchemes ?? {};
  const alternatives = op.security.map((req) => Object.keys(req));
  if (alternatives.length === 0 || alternatives.some((names) => names.length === 0)) return undefined;
  const bearerLike = (name: string) => {
    const s = spec.deref(schemes[name]);
    return (
      s &&
      (s.type === 'oauth2' || s.type === 'openIdConnect' || (s.type === 'http' && /bearer/i.test(s.scheme)))
    );
  };
  return alternatives.find((names) => names.every(bearerLike)) ?? alternatives[0]!;
}

/** Methods that change data: a cookie credential goes with `X-Requested-With` on them (tenon's CSRF defence). */
const UNSAFE = new Set(['post', 'put', 'patch', 'delete']);

/**
 * How the oracle authenticates an operation: the headers of the scheme it
 * picked (the token in the named header or cookie, Basic, or Bearer). A
 * cookie on a method that changes data goes with `X-Requested-With`, as a
 * browser client of the generated API sends it (docs/scaffold.md, CSRF).
 */
export function credentialsFor(op: SpecOperation, spec: Spec, token: string): Record<string, string> {
  // The spec opens it to anyone: a spec-valid request carries no credentials, and must be served.
  if (op.open) return {};
  const chosen = chosenRequirement(op, spec);
  // No security in the spec (or an anonymous alternative): tenon still puts its own JWT in front
  // (deny by default, a convention where the spec leaves the choice), so the client sends it.
  if (!chosen) return { authorization: `Bearer ${token}` };
  const schemes = spec.bundled.components?.securitySchemes ?? {};
  const headers: Record<string, string> = {};
  for (const name of chosen) {
    const s = spec.deref(schemes[name]);
    if (s?.type === 'apiKey' && s.in === 'header') headers[String(s.name).toLowerCase()] = token;
    else if (s?.type === 'apiKey' && s.in === 'cookie') {
      headers.cookie = `${s.name}=${token}`;
      if (UNSAFE.has(op.method)) headers['x-requested-with'] = 'tenon-oracle';
    } else if (s?.type === 'apiKey' && s.in === 'query') continue;
    // tenon takes its token as the password of an http basic scheme.
    else if (s?.type === 'http' && /^basic$/i.test(String(s.scheme)))
      headers.authorization = `Basic ${Buffer.from(`oracle:${token}`).toString('base64')}`;
    else headers.authorization = `Bearer ${token}`;
  }
  return headers;
}

/** Query apiKey schemes of the chosen requirement put the token in the query string. */
export function queryCredentials(op: SpecOperation, spec: Spec, token: string): [string, string][] {
  const schemes = spec.bundled.components?.securitySchemes ?? {};
  return (chosenRequirement(op, spec) ?? []).flatMap((name) => {
    const s = spec.deref(schemes[name]);
    return s?.type === 'apiKey' && s.in === 'query' ? [[String(s.name), token] as [string, string]] : [];
  });
}

/**
 * The parameters the chosen requirement's apiKey schemes fill with the token
 * (`query:api_key`), for a spec that declares its apiKey again as an
 * operation parameter: a client sends it once, the token being its value.
 */
export function credentialPlaces(op: SpecOperation, spec: Spec): Set<string> {
  if (op.open) return new Set();
  const schemes = spec.bundled.components?.securitySchemes ?? {};
  return new Set(
    (chosenRequirement(op, spec) ?? []).flatMap((name) => {
      const s = spec.deref(schemes[name]);
      if (s?.type !== 'apiKey') return [];
      return [`${s.in}:${s.in === 'header' ? String(s.name).toLowerCase() : String(s.name)}`];
    }),
  );
}
