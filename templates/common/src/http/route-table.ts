/**
 * The methods each known path answers, so a request with another method
 * gets 405 with `Allow` instead of a 404 (RFC 9110 §15.5.6).
 */
export class RouteTable {
  private readonly routes: { pattern: RegExp; methods: Set<string> }[] = [];
  private readonly byPath = new Map<string, Set<string>>();

  /** Records that `path` (`/api/v1/items/:id` style) answers `method`. */
  add(method: string, path: string): void {
    let methods = this.byPath.get(path);
    if (!methods) {
      methods = new Set();
      this.byPath.set(path, methods);
      // Within a segment, `:name` (with Fastify's `([^:]+)` after it) is a parameter and `::` a colon
      // the path holds (`/v1/:name::undelete`).
      const source = path
        .split('/')
        .map((segment) =>
          segment
            .split(/(::|:[A-Za-z0-9_]+(?:\([^)]*\))?)/)
            .map((part) => (part === '::' ? ':' : part.startsWith(':') ? '[^/]+?' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
            .join(''),
        )
        .join('/');
      this.routes.push({ pattern: new RegExp(`^${source}/?$`), methods });
    }
    methods.add(method.toUpperCase());
    if (method.toUpperCase() === 'GET') methods.add('HEAD');
  }

  /** The methods `path` answers (sorted), or undefined when no route has this path. */
  allowed(path: string): string[] | undefined {
    const found = new Set<string>();
    for (const route of this.routes) if (route.pattern.test(path)) for (const m of route.methods) found.add(m);
    return found.size ? [...found].sort() : undefined;
  }
}

/**
 * A route path as Express 5 reads it: path-to-regexp 8 reserves `( ) [ ] { } ? + ! *`
 * (and `\`), which a spec's fixed segments may hold (`/rest/Train+Travel+API/1.0.0`);
 * they are escaped to match as written. `:name` parameters stay as they are; `::`, a colon the
 * path holds (`/things::count`, as Fastify writes it), is `\\:`.
 */
export function expressPath(path: string): string {
  return path.replace(/[()[\]{}?+!*\\]/g, '\\$&').replace(/::/g, '\\:');
}

/**
 * A route path as Fastify reads it: `::` is its literal colon, but a parameter's name runs on
 * through it (`:name::undelete` would be one parameter), so a parameter right before one is given
 * the pattern of one segment without a colon (`/v1/:name([^:]+)::undelete`).
 */
export function fastifyPath(path: string): string {
  return path.replace(/(:[A-Za-z0-9_]+)(?=::)/g, '$1([^:]+)');
}

/** The path as registered, from an Express route path (the escapes of `expressPath` taken off; `\\:` is `::` again). */
export function writtenPath(path: string): string {
  return path.replace(/\\(.)/g, (_, c: string) => (c === ':' ? '::' : c));
}

/**
 * Route params under the spec's names. A spec name the routers cannot read whole (`widget-id`)
 * is routed as an alias: `_`, then its letters and digits with every other character as `_`
 * and four hex digits (`_widget_002did`). Names kept as written never start with `_`.
 */
export function specParams(params: Record<string, unknown>): Record<string, unknown> {
  if (!Object.keys(params).some((k) => k.startsWith('_'))) return params;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(params)) {
    const name = key.startsWith('_') ? key.slice(1).replace(/_([0-9a-f]{4})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))) : key;
    out[name] = value;
  }
  return out;
}
