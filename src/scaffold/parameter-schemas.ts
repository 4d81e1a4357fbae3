import type { CrudOperations, OperationParameter, ResourceModel } from './api-model.js';
import type { Schema } from './json-schemas.js';
import { queryPairs } from './query-pairs.js';
import { resourceRoutes } from './resource-routes.js';
import { sampleFromSchema } from './test-samples.js';

/**
 * The object schema of an operation's parameters in one place (`path`,
 * `query`, `header`, `cookie`), or undefined when it declares none there.
 * Header names are lower-cased: Node hands them over so, whatever case the
 * spec writes.
 */
export function parameterSchema(
  parameters: readonly OperationParameter[],
  where: OperationParameter['in'],
): Schema | undefined {
  const params = parameters.filter((p) => p.in === where);
  if (params.length === 0) return undefined;
  const name = (p: OperationParameter) => (where === 'header' ? p.name.toLowerCase() : p.name);
  const required = params.filter((p) => p.required).map(name);
  return {
    type: 'object',
    properties: Object.fromEntries(params.map((p) => [name(p), p.schema])),
    ...(required.length ? { required } : {}),
  };
}

/**
 * The parameters of one CRUD operation tenon validates besides its path key,
 * body and list/read query: its header and cookie parameters, and the query
 * parameters of create, update, patch and delete — validated as the spec
 * declares them, with the code custom operations use (types coerced from
 * text, `required`, enums, bounds: 400 with `in: "header"`, `"cookie"`,
 * `"query"`). Unknown query parameters stay accepted there, as on custom
 * operations.
 */
export function crudParameters(resource: ResourceModel, kind: keyof CrudOperations) {
  const declared = resource.served?.parameters?.[kind] ?? [];
  const headers = parameterSchema(declared, 'header');
  return {
    headers,
    cookies: parameterSchema(declared, 'cookie'),
    query: kind === 'list' || kind === 'read' ? undefined : parameterSchema(declared, 'query'),
  };
}

const KINDS: (keyof CrudOperations)[] = ['list', 'create', 'read', 'update', 'patch', 'delete'];

/**
 * What a resource's routes file declares for {@link crudParameters}, as
 * TypeScript: `parameters` (each operation's `headers`/`querystring`
 * schemas, spread into its route schema) and `cookies` (validators of the
 * Cookie header, as custom operations use); `spread(kind)` and
 * `cookieCheck(kind, header)` are the code a route adds.
 */
export function crudParameterCode(resource: ResourceModel) {
  const json = (value: unknown) => JSON.stringify(value, null, 2).replace(/\n/g, '\n  ');
  const of = Object.fromEntries(KINDS.map((k) => [k, crudParameters(resource, k)])) as Record<
    keyof CrudOperations,
    ReturnType<typeof crudParameters>
  >;
  const kinds = KINDS.filter((k) => resource.operations[k]);
  const parts = (k: keyof CrudOperations): Schema => ({
    ...(of[k].headers ? { headers: of[k].headers } : {}),
    ...(of[k].query ? { querystring: of[k].query } : {}),
  });
  const withParts = kinds.filter((k) => Object.keys(parts(k)).length > 0);
  const withCookies = kinds.filter((k) => of[k].cookies);
  const lines: string[] = [];
  if (withParts.length > 0) {
    lines.push(
      '/** The header and query parameters the spec declares on these operations, validated as written. */',
      'const parameters = {',
      ...withParts.map((k) => `  ${k}: ${json(parts(k))},`),
      '};',
    );
  }
  if (withCookies.length > 0) {
    lines.push(
      '/** The cookie parameters the spec declares on these operations: read from the Cookie header, validated as written. */',
      'const cookies = {',
      ...withCookies.map((k) => `  ${k}: compileFor('query', ${json(of[k].cookies)}),`),
      '};',
    );
  }
  return {
    /** The declarations (empty when no operation declares such parameters). */
    declarations: lines.length > 0 ? ['', ...lines].join('\n') : '',
    /** The imports the declarations need. */
    cookies: withCookies.length > 0,
    /** `...parameters.create, ` in a route's schema, or ''. */
    spread: (k: keyof CrudOperations) => (withParts.includes(k) ? `...parameters.${k}, ` : ''),
    /** The statement that validates a route's cookies from `header`, or ''. */
    cookieCheck: (k: keyof CrudOperations, header: string) =>
      withCookies.includes(k) ? `      cookieInput(${header}, cookies.${k});\n` : '',
  };
}

/**
 * Headers the generated tests send on every request: each required header
 * parameter of a CRUD operation, and the required cookie parameters as one
 * `Cookie` header, with a sample value of its schema — so the project's own
 * tests call those operations as the spec says a client must.
 */
export function requiredParameterHeaders(resources: readonly ResourceModel[]): Record<string, string> {
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (const r of resources)
    for (const [kind, params] of Object.entries(r.served?.parameters ?? {})) {
      if (!r.operations[kind as keyof CrudOperations]) continue;
      for (const p of params ?? []) {
        if (!p.required || (p.in !== 'header' && p.in !== 'cookie')) continue;
        const value = sampleFromSchema(p.schema);
        const text = typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
        if (p.in === 'header') headers[p.name.toLowerCase()] ??= text;
        else if (!cookies.some((c) => c.startsWith(`${p.name}=`)))
          cookies.push(`${p.name}=${encodeURIComponent(text)}`);
      }
    }
  if (cookies.length > 0) headers.cookie = cookies.join('; ');
  return headers;
}

/** A query string the generated tests add to requests of one CRUD route (see {@link requiredCrudQueries}). */
export interface RequiredCrudQuery {
  method: 'POST' | 'GET' | 'PUT' | 'PATCH' | 'DELETE';
  /** The route as a regular expression source over the request's path (`^/notes/[^/]+$`). */
  path: string;
  /** `[name, value]` pairs: a sample of each required parameter's schema, sent by its style ({@link queryPairs}). */
  pairs: [string, string][];
}

const METHODS = {
  create: 'POST',
  read: 'GET',
  update: 'PUT',
  patch: 'PATCH',
  delete: 'DELETE',
} as const;

/** A route (`/pets/:petId`) as an anchored regular expression source over request paths. */
function routePattern(route: string): string {
  const parts = route.split(/(:[A-Za-z0-9_$]+)/);
  return `^${parts.map((p) => (p.startsWith(':') ? '[^/]+' : p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('')}$`;
}

/**
 * The required query parameters of create, GET by key, update, patch and
 * delete, per route, with a sample value each: the generated tests' request
 * helper adds them (unless a test gives the parameter itself), so a spec
 * that requires `?dryRun=` on POST passes its own tests. Lists have theirs
 * in {@link requiredListQuery} (their rows must match the values).
 */
export function requiredCrudQueries(resources: readonly ResourceModel[]): RequiredCrudQuery[] {
  const out: RequiredCrudQuery[] = [];
  for (const r of resources) {
    const routes = resourceRoutes(r);
    for (const [kind, method] of Object.entries(METHODS) as [
      keyof typeof METHODS,
      RequiredCrudQuery['method'],
    ][]) {
      if (!r.operations[kind]) continue;
      const declared = kind === 'read' ? (r.served?.readQuery ?? []) : (r.served?.parameters?.[kind] ?? []);
      const required = declared.filter((p) => p.in === 'query' && p.required);
      if (required.length === 0) continue;
      const pairs: [string, string][] = [];
      for (const p of required) {
        pairs.push(...queryPairs(p.name, p.schema, sampleFromSchema(p.schema)));
      }
      out.push({ method, path: routePattern(kind === 'create' ? routes.collection : routes.item), pairs });
    }
  }
  return out;
}
