import { dirname, relative } from 'node:path';
import type { ErrorFormat } from './api-model.js';
import { child, isObject, type JsonObject, type Located, type SpecFiles } from './openapi-loader.js';
import { normalizeSchema } from './openapi-schema.js';

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

/** What one property of an error schema carries, from its name and type. */
function carries(name: string, schema: JsonObject): ErrorFormat['properties'][string] | undefined {
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  const lower = name.toLowerCase();
  if (type === 'integer' || type === 'number') {
    // `code: integer` (petstore), `status` (problem+json): the HTTP status is the only number an error has.
    return { from: 'status' };
  }
  if (type === 'string' || type === undefined) {
    if (Array.isArray(schema.enum)) return schema.enum.length > 0 ? { value: schema.enum[0] } : undefined;
    if (lower === 'type') return { value: 'about:blank' };
    if (/^(code|errorcode|error_code|reason)$/.test(lower)) return { from: 'code' };
    if (lower === 'title') return { from: 'title' };
    if (/message|detail|description|error|msg/.test(lower)) return { from: 'message' };
    return type === 'string' ? { from: 'message' } : undefined;
  }
  if (type === 'array' && /errors|details|problems/.test(lower)) return { from: 'details' };
  if (type === 'boolean') return { value: false };
  return undefined;
}

interface Candidate {
  contentType: string;
  schema: Located;
  source: string;
  count: number;
}

/**
 * Where a schema is, for the report: its JSON pointer, after the file's path
 * (from the spec's folder) when it lives in another file of a multi-file spec
 * (`schemas/Problem.yaml#` — a pointer alone would be empty there).
 */
function sourceOf(files: SpecFiles, at: Located): string {
  if (at.file === files.rootFile) return at.pointer;
  return `${relative(dirname(files.rootFile), at.file)}#${at.pointer}`;
}

/**
 * The error body the spec declares for its 4xx/5xx/default answers — the
 * most used one when they differ — as a mapping from its properties to what
 * tenon knows of an error. Undefined when the spec declares none, or
 * declares tenon's envelope (`{ success, error }`) itself.
 */
export function errorFormat(files: SpecFiles, root: JsonObject): ErrorFormat | undefined {
  const paths = isObject(root.paths) ? root.paths : {};
  const found = new Map<string, Candidate>();
  for (const [path, raw] of Object.entries(paths)) {
    const item = files.deref({ node: raw, file: files.rootFile, pointer: child('/paths', path) });
    if (!isObject(item.node)) continue;
    for (const method of METHODS) {
      const op = item.node[method];
      if (!isObject(op) || !isObject(op.responses)) continue;
      for (const [status, response] of Object.entries(op.responses)) {
        if (!/^(4|5)(\d\d|XX)$|^default$/.test(status)) continue;
        const at = child(item.pointer, method, 'responses', status);
        const r = files.deref({ node: response, file: item.file, pointer: at });
        const content = isObject(r.node) && isObject(r.node.content) ? r.node.content : {};
        const type = Object.keys(content).find((t) => t === 'application/json' || /\+json$/.test(t));
        const media = type ? content[type] : undefined;
        if (!isObject(media) || media.schema === undefined) continue;
        const schema = files.deref({
          node: media.schema,
          file: r.file,
          pointer: child(r.pointer, 'content', type!, 'schema'),
        });
        const key = `${type} ${schema.file}#${schema.pointer}`;
        const seen = found.get(key);
        if (seen) seen.count++;
        else found.set(key, { contentType: type!, schema, source: sourceOf(files, schema), count: 1 });
      }
    }
  }
  const best = [...found.values()].sort((a, b) => b.count - a.count)[0];
  if (!best) return undefined;
  const norm = normalizeSchema(files, best.schema);
  const props = isObject(norm.schema.properties) ? norm.schema.properties : {};
  if (props.success !== undefined && props.error !== undefined) return undefined;
  const properties: ErrorFormat['properties'] = {};
  for (const [name, loc] of Object.entries(norm.propertyLocations)) {
    if (!(name in props)) continue;
    const value = normalizeSchema(files, loc);
    const what = carries(name, value.schema);
    if (what) properties[name] = what;
  }
  // A schema with a title and no message property (`{ type, title }`) carries the message in its title.
  const values = Object.values(properties);
  if (!values.some((v) => 'from' in v && v.from === 'message'))
    for (const v of values) if ('from' in v && v.from === 'title') v.from = 'message';
  return { contentType: best.contentType, properties, source: best.source };
}
