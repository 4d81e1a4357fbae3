import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';

/**
 * Reads an OpenAPI document for the oracle, on its own: nothing here comes
 * from tenon's model, so a mistake in tenon's reading of a spec cannot hide
 * itself in the requests the oracle builds.
 */

// biome-ignore lint/suspicious/noExplicitAny: a spec is arbitrary JSON, read defensively.
export type Node = any;

/** HTTP methods an OpenAPI path item can hold. */
export const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** One parameter as declared, path-level and operation-level merged. */
export interface SpecParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  style: string;
  explode: boolean;
  schema: Node;
  example?: unknown;
  hasExample: boolean;
}

/** One operation of the spec. */
export interface SpecOperation {
  method: (typeof METHODS)[number];
  /** As written in the spec (`/pets/{petId}`), without the server's base path. */
  path: string;
  operationId: string;
  parameters: SpecParameter[];
  requestBody?: Node;
  responses: Node;
  /** The security requirements in force (the operation's, else the root's); `[]` = none. */
  security: Record<string, string[]>[];
  /**
   * The roles the spec lets call it through tenon's own extension (`x-tenon-permissions` on the
   * operation, or keyed by its operationId at the root), when it says.
   */
  roles?: string[];
  /**
   * The spec lets anonymous callers call it: its security in force is written `[]`, or has an empty
   * requirement `{}` among its alternatives (and no `x-tenon-permissions` says otherwise). Having no
   * security at all is not this: the spec leaves that choice open.
   */
  open: boolean;
}

/** A loaded spec: its root document, file, and a reference resolver. */
export interface Spec {
  file: string;
  root: Node;
  /** The spec as one document (external files inlined, `x-` extensions holding external refs dropped). */
  bundled: Node;
  operations: SpecOperation[];
  /** Webhook names (3.1): no route serves them. */
  webhooks: string[];
  /** The path of `servers[0].url`, variables at their defaults, no trailing slash (`/v2`, or `''`). */
  basePath: string;
  /** Follows `$ref`s inside the bundled document until a node that is not one. */
  deref(node: Node): Node;
}

function parseFile(file: string): Node {
  const text = readFileSync(file, 'utf8');
  return /\.json$/i.test(file) ? JSON.parse(text) : parseYaml(text, { maxAliasCount: 1000 });
}

function pointerGet(doc: Node, pointer: string): Node {
  let node = doc;
  for (const token of pointer.split('/').slice(1)) {
    const key = decodeURIComponent(token).replace(/~1/g, '/').replace(/~0/g, '~');
    node = node?.[key];
  }
  return node;
}

function hasExternalRef(node: Node): boolean {
  if (Array.isArray(node)) return node.some(hasExternalRef);
  if (node === null || typeof node !== 'object') return false;
  if (typeof node.$ref === 'string' && !node.$ref.startsWith('#')) return true;
  return Object.values(node).some(hasExternalRef);
}

/** Schemas of other files that refer to themselves, moved into the bundle's components/schemas. */
type Hoisted = Map<string, { name: string; node: Node; file: string }>;

/** The root document's own components/schemas names, which a hoisted schema never takes. */
let rootSchemaNames: string[] = [];

/**
 * Inlines references to other files (so a validator can load the copy from
 * anywhere) and drops `x-` extensions that refer to other files: extensions
 * carry no contract, and a missing documentation file must not stop the
 * validator (train-travel's `x-topics`). A schema of another file that refers
 * to itself (`Category.yaml`'s `parent: { $ref: ./Category.yaml }`) is put
 * under `components/schemas` once and its recursion refers there.
 */
function bundle(node: Node, file: string, rootFile: string, stack: string[], hoisted: Hoisted): Node {
  if (stack.length > 64) throw new Error(`${file}: $refs across files nest too deep`);
  if (Array.isArray(node)) return node.map((n) => bundle(n, file, rootFile, stack, hoisted));
  if (node === null || typeof node !== 'object') return node;
  if (typeof node.$ref === 'string' && (!node.$ref.startsWith('#') || file !== rootFile)) {
    const [target = '', fragment = ''] = node.$ref.split('#');
    const targetFile = target ? resolve(dirname(file), target) : file;
    if (targetFile === rootFile) return { $ref: `#${fragment}` };
    const key = `${targetFile}#${fragment}`;
    const content = pointerGet(parseFile(targetFile), fragment);
    if (stack.includes(key)) {
      let entry = hoisted.get(key);
      if (!entry) {
        // Named as tenon names it (`/openapi.json` is compared with this bundle): the pointer's last
        // token, else the file's name, with a number when the root or an earlier one has it.
        const base =
          fragment.split('/').at(-1) ||
          basename(targetFile)
            .replace(/\.(ya?ml|json)$/i, '')
            .replace(/[^A-Za-z0-9._-]/g, '_');
        const taken = new Set([...rootSchemaNames, ...[...hoisted.values()].map((h) => h.name)]);
        let name = base;
        for (let i = 2; taken.has(name); i++) name = `${base}${i}`;
        entry = { name, node: content, file: targetFile };
        hoisted.set(key, entry);
      }
      return { $ref: `#/components/schemas/${entry.name}` };
    }
    return bundle(content, targetFile, rootFile, [...stack, key], hoisted);
  }
  const out: Record<string, Node> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith('x-') && hasExternalRef(value)) continue;
    out[key] = bundle(value, file, rootFile, stack, hoisted);
  }
  return out;
}

/** The document with every other file inlined (see {@link bundle}). */
function bundleDocument(root: Node, rootFile: string): Node {
  const hoisted: Hoisted = new Map();
  rootSchemaNames = Object.keys(root?.components?.schemas ?? {});
  const out = bundle(root, rootFile, rootFile, [], hoisted);
  if (hoisted.size === 0) return out;
  const schemas: Record<string, Node> = { ...(out.components?.schemas ?? {}) };
  const done = new Set<string>();
  for (let pending = [...hoisted]; pending.length > 0; pending = [...hoisted].filter(([k]) => !done.has(k))) {
    for (const [key, entry] of pending) {
      done.add(key);
      schemas[entry.name] = bundle(entry.node, entry.file, rootFile, [key], hoisted);
    }
  }
  return { ...out, components: { ...(out.components ?? {}), schemas } };
}

function serverBasePath(root: Node): string {
  const server = Array.isArray(root.servers) ? root.servers[0] : undefined;
  if (!server || typeof server.url !== 'string') return '';
  const url = server.url.replace(/\{([^}]+)\}/g, (_m: string, name: string) =>
    String(server.variables?.[name]?.default ?? ''),
  );
  // Scheme and host left out by hand: a host variable whose default is empty (shlink's
  // `{scheme}://{host}`) makes `https://`, which `new URL` refuses.
  const path = url.replace(/^([a-z][a-z0-9+.-]*:)?\/\/[^/]*/i, '');
  return decodeURIComponent(path).replace(/\/+$/, '');
}

function toParameter(p: Node): SpecParameter {
  const location = p.in as SpecParameter['in'];
  const style = p.style ?? (location === 'query' || location === 'cookie' ? 'form' : 'simple');
  const examples = p.examples && typeof p.examples === 'object' ? Object.values(p.examples) : [];
  const fromExamples = (examples[0] as Node)?.value;
  const example = p.example ?? fromExamples ?? p.content?.['application/json']?.example;
  return {
    name: p.name,
    in: location,
    required: p.required === true || location === 'path',
    style,
    explode: p.explode ?? style === 'form',
    schema: p.schema ?? p.content?.['application/json']?.schema ?? {},
    example,
    hasExample: example !== undefined,
  };
}

/** `security: []`, or `{}` among the requirements: no credentials needed. */
function opensToAnyone(security: unknown): boolean {
  return (
    Array.isArray(security) &&
    (security.length === 0 ||
      security.some((r) => r !== null && typeof r === 'object' && Object.keys(r).length === 0))
  );
}

function rolesOf(op: Node, root: Node): string[] | undefined {
  const own = op['x-tenon-permissions'];
  if (Array.isArray(own)) return own.map(String);
  const map = root['x-tenon-permissions'];
  const byId = map && typeof map === 'object' && op.operationId ? map[op.operationId] : undefined;
  return Array.isArray(byId) ? byId.map(String) : undefined;
}

/** Loads a spec file (YAML or JSON) and lists its operations. */
export function loadSpec(file: string): Spec {
  const absolute = resolve(file);
  if (!existsSync(absolute)) throw new Error(`no spec at ${absolute}`);
  const root = parseFile(absolute);
  const bundled = bundleDocument(root, absolute);
  const deref = (node: Node): Node => {
    let current = node;
    for (let i = 0; i < 32 && current && typeof current.$ref === 'string'; i++)
      current = pointerGet(bundled, current.$ref.slice(1));
    return current;
  };
  const operations: SpecOperation[] = [];
  for (const [path, rawItem] of Object.entries<Node>(bundled.paths ?? {})) {
    if (path.startsWith('x-')) continue;
    const item = deref(rawItem);
    const shared: Node[] = (item.parameters ?? []).map(deref);
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const own: Node[] = (op.parameters ?? []).map(deref);
      const merged = new Map<string, Node>();
      for (const p of [...shared, ...own]) merged.set(`${p.in}:${p.name}`, p);
      operations.push({
        method,
        path,
        operationId: op.operationId ?? `${method} ${path}`,
        parameters: [...merged.values()].map(toParameter),
        requestBody: op.requestBody ? deref(op.requestBody) : undefined,
        responses: op.responses ?? {},
        security: op.security ?? bundled.security ?? [],
        roles: rolesOf(op, bundled),
        open: rolesOf(op, bundled) === undefined && opensToAnyone(op.security ?? bundled.security),
      });
    }
  }
  return {
    file: absolute,
    root,
    bundled,
    operations,
    webhooks: Object.keys(bundled.webhooks ?? {}),
    basePath: serverBasePath(bundled),
    deref,
  };
}
