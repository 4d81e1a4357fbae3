/**
 * Path parameter names as the routers read them. Fastify and Express end a `:name` parameter
 * at the first character that is not an identifier's (`:widget-id` is `widget` then `-id`), so a
 * spec name that is not a plain identifier gets an alias the routers accept. The alias starts
 * with `_`, which no name kept as written does, and escapes every other character (`_` included)
 * as `_` and four hex digits, so it decodes back to the spec's name and two names never share one.
 * The generated app decodes it (src/http/route-table.ts `specParams`) before validation, so
 * handlers, schemas and messages see the spec's name.
 */

/** Names the routers read whole and that are kept as written (`petId`, `pet_id`). */
const PLAIN = /^[A-Za-z][A-Za-z0-9_]*$/;

/** The name a route gives the spec's path parameter `name`: itself when plain, else `_` and its escaped form. */
export function routeParam(name: string): string {
  if (PLAIN.test(name)) return name;
  let out = '_';
  for (let i = 0; i < name.length; i++) {
    const c = name[i]!;
    out += /[A-Za-z0-9]/.test(c) ? c : `_${name.charCodeAt(i).toString(16).padStart(4, '0')}`;
  }
  return out;
}

/** The spec's name of a route parameter (the inverse of routeParam). */
export function specParam(alias: string): string {
  if (!alias.startsWith('_')) return alias;
  return alias
    .slice(1)
    .replace(/_([0-9a-f]{4})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

/** A spec path as a route: `/widgets/{widget-id}` → `/widgets/:_widget_002did`. */
export function routeOfPath(path: string): string {
  return path.replace(/\{([^}]+)\}/g, (_, name: string) => `:${routeParam(name)}`);
}

/**
 * A spec path as the routers register it: {@link routeOfPath}'s route with each `:` the path holds
 * as a character doubled (`/things:count` → `/things::count`, `/v1/{name}:undelete` →
 * `/v1/:name::undelete`, Google's custom methods). `::` is a literal colon to Fastify; the app's
 * `expressPath` writes it `\:` for Express. The route itself (`/things:count`) stays what policy
 * keys, the README and the generated tests name; undefined when the path holds no `:`.
 */
export function registeredRoute(path: string): string | undefined {
  if (!path.replace(/\{[^}]+\}/g, '').includes(':')) return undefined;
  return path
    .split(/(\{[^}]+\})/)
    .map((part) => (/^\{[^}]+\}$/.test(part) ? routeOfPath(part) : part.replace(/:/g, '::')))
    .join('');
}

/**
 * Whether a spec path can be a route: outside its `{parameters}` (any name, aliased above), only
 * letters, digits and `- _ . ~ @ :` (`@` and `~` are literal in both routers; a `:`, a custom
 * method's, is registered escaped: {@link registeredRoute}). `* ( ) ? +` are patterns to the routers.
 */
export function routablePath(path: string): boolean {
  return /^[A-Za-z0-9_\-./~@:]*$/.test(path.replace(/\{[^}]+\}/g, ''));
}
