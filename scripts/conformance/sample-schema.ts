import { sample } from 'openapi-sampler';
import type { Node, Spec } from './spec-reader.js';

/**
 * A sample of a schema from openapi-sampler (examples and defaults of the
 * schema first). `minimal` leaves out optional properties, as a client that
 * sends what is needed does, unless that would go below `minProperties`.
 */
export function sampleSchema(schema: Node, spec: Spec, minimal = false): unknown {
  const options = (skipNonRequired: boolean) =>
    ({ skipReadOnly: true, skipNonRequired, quiet: true, enablePatterns: true }) as never;
  const value = sample(schema, options(minimal), spec.bundled);
  const min = spec.deref(schema)?.minProperties;
  if (
    minimal &&
    value &&
    typeof value === 'object' &&
    typeof min === 'number' &&
    Object.keys(value).length < min
  )
    return sample(schema, options(false), spec.bundled);
  return value;
}
