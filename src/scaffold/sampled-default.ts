import type { FieldModel } from './api-model.js';
import { valueSchema } from './json-schemas.js';
import { exampleFits, sampleFromSchema } from './test-samples.js';

/** A column default made from a sample of the property's own schema ({@link sampledDefault}). */
export type SampledDefault = { default: string | number | boolean } | { jsonDefault: string };

/**
 * A value for a property the answers require that no request sets and the spec gives neither an
 * example nor a default for, nor a zero of its type that fits (a string with a pattern, a minimum
 * length or a format; an object with required properties; a list of at least one item): a sample
 * of its schema (openapi-sampler, patterns by randexp) that the schema accepts, as the column's
 * default, so every answer carries what the spec requires. Undefined when no sample fits, or when
 * the column is unique (one constant would refuse every row after the first).
 */
export function sampledDefault(field: FieldModel): SampledDefault | undefined {
  if (field.unique || field.ref) return undefined;
  if (field.kind === 'json') {
    if (!field.jsonSchema) return undefined;
    // The property's own readOnly is what puts it here: sampled as a value, not skipped.
    const { readOnly: _readOnly, ...schema } = field.jsonSchema;
    const value = sampleFromSchema(schema);
    if (value === null || !exampleFits(value, schema)) return undefined;
    return { jsonDefault: JSON.stringify(value) };
  }
  if (['uuid', 'date', 'datetime', 'enum'].includes(field.kind)) return undefined;
  const schema = valueSchema(field);
  const value = sampleFromSchema(schema);
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return undefined;
  return exampleFits(value, schema) ? { default: value } : undefined;
}
