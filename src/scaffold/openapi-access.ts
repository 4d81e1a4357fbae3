import { TenonError } from '../core/errors.js';
import type { ApiModel, ModelWarning } from './api-model.js';
import { isObject, type JsonObject, type Located, type SpecFiles } from './openapi-loader.js';

// Role names; `:` and `.` too, because OAuth scopes (`read:pets`) become roles.
const ROLE = /^[A-Za-z][A-Za-z0-9_.:-]{0,62}$/;

function invalid(
  files: SpecFiles,
  loc: { file: string; pointer: string },
  message: string,
  hint: string,
): TenonError {
  return new TenonError('TENON_SCAFFOLD_SPEC_INVALID', `${files.where(loc)}: ${message}`, {
    hint,
    details: { pointer: loc.pointer },
  });
}

function roleList(files: SpecFiles, value: unknown, loc: { file: string; pointer: string }): string[] {
  if (!Array.isArray(value) || value.some((r) => typeof r !== 'string' || !ROLE.test(r))) {
    throw invalid(
      files,
      loc,
      'must be a list of role names.',
      'Write e.g. [admin, editor]; names start with a letter.',
    );
  }
  return value as string[];
}

/**
 * The roles an operation declares: `x-tenon-permissions: [role, …]`, or
 * else the scopes of its `security` requirements — its own, or the
 * document's root `security` when it has none (each scope is a role,
 * declared by being used; they are added to `scopes`). `admin` holds every
 * scope. Undefined when it declares neither.
 */
export function operationRoles(
  files: SpecFiles,
  op: Located<JsonObject>,
  scopeRoles: Set<string>,
): OperationAccess | undefined {
  const own = op.node['x-tenon-permissions'];
  if (own !== undefined)
    return { roles: roleList(files, own, { file: op.file, pointer: `${op.pointer}/x-tenon-permissions` }) };
  const root = files.root;
  const inherited = op.node.security === undefined && isObject(root) ? root.security : undefined;
  const security = op.node.security ?? inherited;
  if (!Array.isArray(security)) return undefined;
  // `security: []` (OpenAPI's way to lift the root's requirements) or an empty requirement `{}` among
  // the alternatives: the spec says a caller without credentials may call it.
  if (security.length === 0 || security.some((r) => isObject(r) && Object.keys(r).length === 0))
    return { roles: [], public: true };
  const at = op.node.security === undefined ? '/security' : `${op.pointer}/security`;
  const scopes = security.flatMap((requirement) =>
    isObject(requirement) ? Object.values(requirement).flatMap((s) => (Array.isArray(s) ? s : [])) : [],
  );
  if (scopes.length === 0) return undefined;
  const roles = roleList(files, [...new Set(scopes)], {
    file: op.node.security === undefined ? files.rootFile : op.file,
    pointer: at,
  });
  for (const role of roles) scopeRoles.add(role);
  // One requirement object needs all its scopes (of every scheme in it); the objects are alternatives.
  const anyOf = security.map((requirement) => [
    ...new Set(
      isObject(requirement)
        ? Object.values(requirement).flatMap((s) => (Array.isArray(s) ? s.map(String) : []))
        : [],
    ),
  ]);
  // admin holds every scope.
  if (!anyOf.some((all) => all.length === 1 && all[0] === 'admin')) anyOf.push(['admin']);
  return { roles: roles.includes('admin') ? roles : ['admin', ...roles], anyOf };
}

/** Who may call an operation, as the spec declares it. */
export interface OperationAccess {
  /** The roles and scopes named (admin included for scopes). */
  roles: string[];
  /** From security requirements: alternatives, each needing all of its grants (`[]`: any caller who is signed in). */
  anyOf?: string[][];
  /** The spec lets anonymous callers call it (`security: []`, or `{}` among the requirements); `roles` is then empty. */
  public?: boolean;
}

/** Where callers may put their access token besides `Authorization: Bearer`. */
export interface Credentials {
  /** `Authorization: Basic base64(user:token)` (an `http` `basic` scheme): the token is the password, or the user name when the password is empty. */
  basic: boolean;
  /** Header names of `apiKey` schemes `in: header`, lower case. */
  headers: string[];
  /** Query parameter names of `apiKey` schemes `in: query`, as written (query names are case-sensitive). */
  query: string[];
  /** Cookie names of `apiKey` schemes `in: cookie`, as written. */
  cookies: string[];
}

/** A cookie name (RFC 6265: an HTTP token). */
const TOKEN = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;
/**
 * Query parameters tenon reads itself on lists and reads: an apiKey of the
 * same name would be taken from the query before them.
 */
const TENON_QUERY = new Set(['limit', 'page', 'sort', 'cursor', 'include']);

/**
 * Where the spec's security schemes put credentials (`components.securitySchemes`).
 * Every scheme maps to tenon's access token; `http` bearer, `oauth2` and
 * `openIdConnect` send it as `Authorization: Bearer`, which is always
 * accepted. `apiKey` schemes name a header, a query parameter (kept out of
 * logs, validation and handlers by the generated app) or a cookie (which
 * authenticates a request that changes data only with `X-Requested-With`,
 * the defence against cross-site request forgery). A query name tenon reads
 * itself (`limit`, `page`, `sort`, `cursor`, `include`) is not read: a
 * warning says so.
 */
export function documentCredentials(
  files: SpecFiles,
  root: JsonObject,
  warnings: ModelWarning[] = [],
): Credentials {
  const credentials: Credentials = { basic: false, headers: [], query: [], cookies: [] };
  const components = isObject(root.components) ? root.components : {};
  const schemes = isObject(components.securitySchemes) ? components.securitySchemes : {};
  for (const [name, value] of Object.entries(schemes)) {
    const scheme = files.deref({
      node: value,
      file: files.rootFile,
      pointer: `/components/securitySchemes/${name}`,
    }).node;
    if (!isObject(scheme)) continue;
    if (
      scheme.type === 'http' &&
      typeof scheme.scheme === 'string' &&
      scheme.scheme.toLowerCase() === 'basic'
    )
      credentials.basic = true;
    if (scheme.type === 'apiKey' && scheme.in === 'header' && typeof scheme.name === 'string') {
      const name = scheme.name.toLowerCase();
      // A header name must be a valid token. An apiKey in Authorization (RealWorld's `Token <jwt>`)
      // is read there too, after Bearer and Basic.
      if (/^[a-z0-9!#$%&'*+.^_`|~-]+$/.test(name) && !credentials.headers.includes(name))
        credentials.headers.push(name);
    }
    if (scheme.type === 'apiKey' && scheme.in === 'query' && typeof scheme.name === 'string') {
      if (TENON_QUERY.has(scheme.name) || scheme.name === '')
        warnings.push({
          at: files.where({ file: files.rootFile, pointer: `/components/securitySchemes/${name}` }),
          code: 'credential-not-served',
          message: `the apiKey query parameter ${JSON.stringify(scheme.name)} is not read for the access token: tenon reads ${JSON.stringify(scheme.name)} itself on lists; callers send the token as Authorization: Bearer.`,
          hint: 'Name the parameter otherwise (api_key, access_token), or send the key in a header.',
        });
      else if (!credentials.query.includes(scheme.name)) credentials.query.push(scheme.name);
    }
    if (scheme.type === 'apiKey' && scheme.in === 'cookie' && typeof scheme.name === 'string') {
      if (!TOKEN.test(scheme.name))
        warnings.push({
          at: files.where({ file: files.rootFile, pointer: `/components/securitySchemes/${name}` }),
          code: 'credential-not-served',
          message: `the apiKey cookie ${JSON.stringify(scheme.name)} is not read for the access token: it is not a cookie name (RFC 6265); callers send the token as Authorization: Bearer.`,
          hint: 'Name the cookie with letters, digits and -_. only.',
        });
      else if (!credentials.cookies.includes(scheme.name)) credentials.cookies.push(scheme.name);
    }
  }
  return credentials;
}

/** The document-level declarations: `x-tenon-roles: [role, …]`, `x-tenon-permissions: { operationId|permission: [role, …] }`. */
export function documentAccess(
  files: SpecFiles,
  root: JsonObject,
  scopeRoles: Set<string>,
): ApiModel['access'] | undefined {
  const access: NonNullable<ApiModel['access']> = {};
  scopeRoles.delete('admin');
  const declared =
    root['x-tenon-roles'] === undefined
      ? []
      : roleList(files, root['x-tenon-roles'], { file: files.rootFile, pointer: '/x-tenon-roles' });
  const roles = [...new Set([...declared, ...scopeRoles])];
  if (roles.length > 0) access.roles = roles;
  const permissions = root['x-tenon-permissions'];
  if (permissions !== undefined) {
    if (!isObject(permissions)) {
      throw invalid(
        files,
        { file: files.rootFile, pointer: '/x-tenon-permissions' },
        'must map operationIds or permissions to role lists.',
        'Write e.g. x-tenon-permissions: { listProducts: [admin, user], "products:create": [admin] }.',
      );
    }
    access.permissions = Object.fromEntries(
      Object.entries(permissions).map(([key, roles]) => [
        key,
        roleList(files, roles, {
          file: files.rootFile,
          pointer: `/x-tenon-permissions/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`,
        }),
      ]),
    );
  }
  return Object.keys(access).length > 0 ? access : undefined;
}
