import type { ResourceModel } from './api-model.js';
import { idSortValue } from './declared-sort.js';
import { listQuerySchema, sortValues } from './json-schemas.js';
import { lowestInteger } from './list-paging.js';

type Schema = Record<string, unknown>;

/** The list's query schema of one parameter (tenon's, merged with the spec's when it declares it). */
function parameterSchema(r: ResourceModel, name: string): Schema | undefined {
  return (listQuerySchema(r).properties as Schema)[name] as Schema | undefined;
}

/**
 * Query strings the list's validation refuses, from its own `limit` and `page` schemas: one
 * below the minimum, one over the limit's maximum (the spec's, when it declares a larger one
 * than tenon's 100), a negative and a non-number limit, a fraction for an integer page. A bound the schema
 * does not set gives no probe: a spec's `limit` of minimum 0 takes `limit=0`.
 */
function refusedListQueries(r: ResourceModel): string[] {
  const out: string[] = [];
  for (const name of ['limit', 'page']) {
    const s = parameterSchema(r, name);
    if (!s || (s.type !== 'integer' && s.type !== 'number')) continue;
    const min =
      s.type === 'integer' ? lowestInteger(s) : typeof s.minimum === 'number' ? s.minimum : undefined;
    const max = typeof s.maximum === 'number' ? s.maximum : undefined;
    const probes = new Set<string>();
    if (min !== undefined && Number.isInteger(min)) probes.add(`${name}=${min - 1}`);
    if (name === 'limit') {
      if (max !== undefined && Number.isInteger(max)) probes.add(`${name}=${max + 1}`);
      if (min !== undefined && min >= 0) probes.add(`${name}=-1`);
      probes.add(`${name}=abc`);
    } else if (s.type === 'integer') probes.add(`${name}=1.5`);
    out.push(...probes);
  }
  return out;
}

/**
 * The queries under a `limit`'s or `page`'s minimum, for the hardening tests: `limit=-1` and one
 * below the minimum (`limit=0`, `page=0` where tenon's minimum 1 holds; a spec's `limit` of
 * minimum 0 takes `limit=0`: there `limit=-1` alone).
 */
function belowMinimum(r: ResourceModel, name: 'limit' | 'page'): string[] {
  const s = parameterSchema(r, name);
  const min = s?.type === 'integer' ? lowestInteger(s) : s?.minimum;
  if (typeof min !== 'number' || !Number.isInteger(min)) return [];
  return [...new Set([...(name === 'limit' && min >= 0 ? ['limit=-1'] : []), `${name}=${min - 1}`])];
}

/**
 * What the generated list tests may send, from what the list takes: the `sort` values that
 * give id order (tenon's `id`/`-id`, or a value of the spec's own enum that sorts by id; none:
 * the cursor walk and the descending-order test are not written) and the queries it refuses.
 */
export function listTestProbes(r: ResourceModel): {
  idSort: { asc: string | undefined; desc: string | undefined };
  refused: string[];
  below: { limit: string[]; page: string[] };
} {
  const keys = sortValues(r);
  return {
    idSort: { asc: idSortValue(r, false, keys), desc: idSortValue(r, true, keys) },
    refused: refusedListQueries(r),
    below: { limit: belowMinimum(r, 'limit'), page: belowMinimum(r, 'page') },
  };
}
