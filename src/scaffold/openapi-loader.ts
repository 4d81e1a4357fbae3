import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { TenonError } from '../core/errors.js';

/** A JSON value as parsed from YAML or JSON. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
/** A JSON object. */
export type JsonObject = { [key: string]: Json };

/** A node of the spec together with where it is, for error messages. */
export interface Located<T = Json> {
  node: T;
  /** Absolute path of the file the node is in. */
  file: string;
  /** JSON pointer of the node inside that file (`''` is the root). */
  pointer: string;
  /** The name of the last `$ref` target that was followed (`Product` for `#/components/schemas/Product`). */
  refName?: string;
}

/** Escapes one JSON pointer token. */
export function pointerToken(token: string | number): string {
  return String(token).replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Appends tokens to a pointer: `child('/paths', '/a/{id}')` → `/paths/~1a~1{id}`. */
export function child(pointer: string, ...tokens: (string | number)[]): string {
  return pointer + tokens.map((t) => `/${pointerToken(t)}`).join('');
}

/**
 * ` (line L, column C)` for a JSON.parse error, whose message gives an offset ("at position 41",
 * Node 20), the end of the text ("Unexpected end of JSON input"), or only the text around it
 * ("Unexpected token '}', …": found by parsing ever longer beginnings of the text, where the first
 * one to fail before its end ends at the culprit); `''` when the message names
 * its line already (YAML's errors) or is no JSON error.
 */
export function jsonPlace(text: string, error: unknown): string {
  if (!(error instanceof SyntaxError) || /\(line \d+ column \d+\)/.test(error.message)) return '';
  const position = /at position (\d+)/.exec(error.message)?.[1];
  let offset = position === undefined ? text.length : Number(position);
  if (position === undefined && !/end of JSON input/i.test(error.message)) {
    const failsBefore = (end: number): boolean => {
      try {
        JSON.parse(text.slice(0, end));
        return false;
      } catch (e) {
        // A beginning cut in a string or a number fails "at position <its length>": its end too.
        const message = (e as Error).message;
        const at = /at position (\d+)/.exec(message)?.[1];
        return !/end of JSON input/i.test(message) && (at === undefined || Number(at) < end);
      }
    };
    let low = 1;
    let high = text.length;
    if (!failsBefore(high)) return '';
    while (low < high) {
      const mid = (low + high) >> 1;
      if (failsBefore(mid)) high = mid;
      else low = mid + 1;
    }
    offset = low - 1;
  }
  const before = text.slice(0, offset);
  return ` (line ${before.split('\n').length}, column ${offset - before.lastIndexOf('\n')})`;
}

/** True for a plain JSON object. */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The files of a spec, loaded eagerly: the root document and every file
 * reached through a relative `$ref`. Remote (http) references are refused:
 * generation must not depend on the network.
 */
export class SpecFiles {
  readonly docs = new Map<string, Json>();

  /**
   * @param rootFile the spec's root document
   * @param base the directory locations are written relative to: the spec's own by default, so a
   *   warning reads `openapi.yaml#/paths/~1pets` wherever tenon runs (and the model does not change with the cwd)
   */
  constructor(
    readonly rootFile: string,
    readonly base: string = dirname(rootFile),
  ) {
    this.#load(rootFile, undefined);
  }

  /** The root document. */
  get root(): Json {
    return this.docs.get(this.rootFile)!;
  }

  /** `file#/pointer` (a JSON pointer), the file relative to {@link base}: the spec's directory. */
  where(located: { file: string; pointer: string }): string {
    return `${relative(this.base, located.file) || located.file}#${located.pointer}`;
  }

  #load(file: string, from: string | undefined): void {
    if (this.docs.has(file)) return;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (cause) {
      throw new TenonError(
        'TENON_SCAFFOLD_SPEC_NOT_FOUND',
        from ? `${from}: the referenced file ${file} cannot be read.` : `Cannot read the spec ${file}.`,
        { cause, hint: 'Check the path; $refs to other files are relative to the file that contains them.' },
      );
    }
    let doc: Json;
    try {
      doc = (/\.json$/i.test(file) ? JSON.parse(text) : parseYaml(text, { maxAliasCount: 1000 })) as Json;
    } catch (cause) {
      throw new TenonError(
        'TENON_SCAFFOLD_SPEC_INVALID',
        `${file} is not valid YAML or JSON: ${String(cause)}${jsonPlace(text, cause)}`,
        {
          cause,
          hint: 'Fix the syntax error; the message gives the line.',
          details: { file },
        },
      );
    }
    this.docs.set(file, doc);
    this.#walkRefs(doc, file, '');
  }

  #walkRefs(node: Json, file: string, pointer: string): void {
    if (Array.isArray(node)) {
      node.forEach((item, i) => {
        this.#walkRefs(item, file, child(pointer, i));
      });
      return;
    }
    if (!isObject(node)) return;
    const ref = node.$ref;
    if (typeof ref === 'string') {
      const [target] = ref.split('#');
      if (target) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(target)) {
          throw new TenonError(
            'TENON_SCAFFOLD_SPEC_INVALID',
            `${this.where({ file, pointer })}: remote $ref "${ref}" is not supported.`,
            { hint: 'Download the referenced file and refer to it with a relative path.' },
          );
        }
        this.#load(resolve(dirname(file), target), this.where({ file, pointer }));
      }
    }
    // `x-` extensions belong to other tools (docs topics, code samples): their $refs
    // may point at files that are not schemas, or not there at all; tenon never reads them.
    for (const [key, value] of Object.entries(node))
      if (!key.startsWith('x-')) this.#walkRefs(value, file, child(pointer, key));
  }

  /** Follows `$ref`s (across files) until a node that is not a reference. */
  deref(located: Located): Located {
    let current = located;
    const seen = new Set<string>();
    while (isObject(current.node) && typeof current.node.$ref === 'string') {
      const ref = current.node.$ref;
      const key = `${current.file}#${current.pointer}`;
      if (seen.has(key)) {
        throw new TenonError(
          'TENON_SCAFFOLD_SPEC_INVALID',
          `${this.where(current)}: $ref "${ref}" is circular.`,
          {
            hint: 'A $ref chain comes back to itself; point it at a schema.',
          },
        );
      }
      seen.add(key);
      current = this.#follow(ref, current);
    }
    return current;
  }

  #follow(ref: string, from: Located): Located {
    const [target = '', fragment = ''] = ref.split('#');
    const file = target ? resolve(dirname(from.file), target) : from.file;
    const doc = this.docs.get(file);
    const pointer = decodeURIComponent(fragment);
    let node: Json | undefined = doc;
    for (const token of pointer.split('/').slice(1)) {
      const key = token.replace(/~1/g, '/').replace(/~0/g, '~');
      node = Array.isArray(node) ? node[Number(key)] : isObject(node) ? node[key] : undefined;
      if (node === undefined) break;
    }
    if (node === undefined) {
      throw new TenonError(
        'TENON_SCAFFOLD_SPEC_INVALID',
        `${this.where(from)}: $ref "${ref}" points at nothing.`,
        { hint: 'Check the file name and the JSON pointer after #.', details: { ref } },
      );
    }
    const last = pointer.split('/').at(-1);
    return { node, file, pointer, refName: last ? last.replace(/~1/g, '/').replace(/~0/g, '~') : undefined };
  }

  /**
   * The spec as one document: every reference to another file is replaced
   * by its content; references inside the root document stay as they are.
   * A schema of another file that refers to itself (`Category.yaml`'s
   * `parent: { $ref: ./Category.yaml }`) cannot be inlined into itself: it is
   * added to the root's `components/schemas` (under its file's name) and its
   * recursion refers there, as a recursive schema of one file would.
   * Used for the `/openapi.json` the generated project serves.
   */
  bundle(): Json {
    const hoisted = new Map<string, { name: string; target: Located }>();
    const root = this.#inline(this.root, this.rootFile, new Set(), hoisted);
    if (hoisted.size === 0 || !isObject(root)) return root;
    const components = isObject(root.components) ? { ...root.components } : {};
    const schemas = isObject(components.schemas) ? { ...components.schemas } : {};
    // A hoisted schema may reach another (mutual recursion): inlining one can add the next.
    const done = new Set<string>();
    for (
      let pending = [...hoisted];
      pending.length > 0;
      pending = [...hoisted].filter(([k]) => !done.has(k))
    ) {
      for (const [key, { name, target }] of pending) {
        done.add(key);
        schemas[name] = this.#inline(target.node, target.file, new Set([key]), hoisted);
      }
    }
    components.schemas = schemas;
    return { ...root, components };
  }

  #inline(
    node: Json,
    file: string,
    stack: Set<string>,
    hoisted: Map<string, { name: string; target: Located }>,
  ): Json {
    if (Array.isArray(node)) return node.map((n) => this.#inline(n, file, stack, hoisted));
    if (!isObject(node)) return node;
    if (typeof node.$ref === 'string' && (file !== this.rootFile || !node.$ref.startsWith('#'))) {
      const target = this.#follow(node.$ref, { node, file, pointer: '' });
      const key = `${target.file}#${target.pointer}`;
      if (stack.has(key)) {
        // Back in the root document: its own pointer is already there to refer to.
        if (target.file === this.rootFile) return { $ref: `#${target.pointer}` };
        const name = hoisted.get(key)?.name ?? this.#hoistName(target, hoisted);
        if (!hoisted.has(key)) hoisted.set(key, { name, target });
        return { $ref: `#/components/schemas/${pointerToken(name)}` };
      }
      return this.#inline(target.node, target.file, new Set([...stack, key]), hoisted);
    }
    const out: JsonObject = {};
    for (const [key, value] of Object.entries(node))
      out[key] = key.startsWith('x-') ? value : this.#inline(value, file, stack, hoisted);
    return out;
  }

  /** A components/schemas name for a hoisted schema: its pointer's last token, else its file's name; never one taken. */
  #hoistName(target: Located, hoisted: Map<string, { name: string }>): string {
    const base =
      target.refName ??
      (target.file.split(/[\\/]/).at(-1) ?? 'Schema')
        .replace(/\.(ya?ml|json)$/i, '')
        .replace(/[^A-Za-z0-9._-]/g, '_');
    const root = this.root;
    const own =
      isObject(root) && isObject(root.components) && isObject(root.components.schemas)
        ? Object.keys(root.components.schemas)
        : [];
    const taken = new Set([...own, ...[...hoisted.values()].map((h) => h.name)]);
    let name = base || 'Schema';
    for (let i = 2; taken.has(name); i++) name = `${base}${i}`;
    return name;
  }
}
