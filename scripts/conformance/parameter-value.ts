import { sampleSchema } from './sample-schema.js';
import type { Spec, SpecParameter } from './spec-reader.js';

/** A parameter's value from the spec: its example, its schema's example or default, else a sample. */
export function parameterValue(p: SpecParameter, spec: Spec): unknown {
  if (p.hasExample) return p.example;
  const schema = spec.deref(p.schema);
  if (schema?.example !== undefined) return schema.example;
  if (schema?.default !== undefined) return schema.default;
  return sampleSchema(p.schema, spec);
}

/** One value as text: an object or array as JSON. */
export function scalar(value: unknown): string {
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}

/** Serializes a query parameter by its style (form, spaceDelimited, pipeDelimited, deepObject). */
export function queryPairs(p: SpecParameter, value: unknown): [string, string][] {
  if (Array.isArray(value)) {
    if (p.style === 'form' && p.explode) return value.map((v) => [p.name, scalar(v)]);
    const separator = p.style === 'spaceDelimited' ? ' ' : p.style === 'pipeDelimited' ? '|' : ',';
    return [[p.name, value.map(scalar).join(separator)]];
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (p.style === 'deepObject') return entries.map(([k, v]) => [`${p.name}[${k}]`, scalar(v)]);
    if (p.explode) return entries.map(([k, v]) => [k, scalar(v)]);
    return [[p.name, entries.flatMap(([k, v]) => [k, scalar(v)]).join(',')]];
  }
  return [[p.name, scalar(value)]];
}

/** A value in the `simple` style of path and header parameters (arrays and objects comma-separated). */
export function simple(value: unknown): string {
  if (Array.isArray(value)) return value.map(scalar).join(',');
  if (value !== null && typeof value === 'object')
    return Object.entries(value as Record<string, unknown>)
      .flatMap(([k, v]) => [k, scalar(v)])
      .join(',');
  return scalar(value);
}
