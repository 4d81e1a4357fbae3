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
      const source = path
        .split('/')
        .map((segment) => (segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
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
 * they are escaped to match as written. `:name` parameters stay as they are.
 */
export function expressPath(path: string): string {
  return path.replace(/[()[\]{}?+!*\\]/g, '\\$&');
}

/** The path as written, from an Express route path (the escapes of `expressPath` taken off). */
export function writtenPath(path: string): string {
  return path.replace(/\\(.)/g, '$1');
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
