import { quoteIdent } from '../core/sql/quote.js';
import type { ResourceModel } from './api-model.js';
import { filterParameters } from './json-schemas.js';
import { queryPairs } from './query-pairs.js';
import { sampleFromSchema } from './test-samples.js';

/** What the generated tests send to a list whose spec requires query parameters (train-travel's trips). */
export interface RequiredListQuery {
  /** The names of the required parameters. */
  names: string[];
  /** Their query string, without `?` (`origin=…&destination=…&date=…`): samples of their schemas. */
  query: string;
  /** The columns of the required parameters tenon filters on, and the value the query gives them. */
  sets: { columnSql: string; key: string; value: unknown }[];
}

/**
 * The query parameters the spec requires on a resource's list, with a
 * sample of each; the test rows get the values of those that filter
 * (equality on a property), so the list the tests read is not empty.
 * Undefined when the list requires none.
 */
export function requiredListQuery(r: ResourceModel): RequiredListQuery | undefined {
  const required = (r.served?.listQuery ?? []).filter((p) => p.required && p.in === 'query');
  if (!r.operations.list || required.length === 0) return undefined;
  const filters = filterParameters(r);
  const parts: string[] = [];
  const sets: RequiredListQuery['sets'] = [];
  for (const p of required) {
    const value = sampleFromSchema(p.schema);
    // Quotes too: the query is written inside string literals of the tests.
    const encode = (x: string) => encodeURIComponent(x).replace(/'/g, '%27');
    for (const [k, v] of queryPairs(p.name, p.schema, value)) parts.push(`${encode(k)}=${encode(v)}`);
    const filter = filters.find((f) => f.name === p.name && f.op === 'eq');
    if (filter && !Array.isArray(value))
      sets.push({ columnSql: quoteIdent(filter.field.column), key: p.name, value });
  }
  return { names: required.map((p) => p.name), query: parts.join('&'), sets };
}
