/**
 * A GET that answers a list of plain values (RealWorld's `GET /tags` →
 * `{ tags: [string] }`) is not CRUD on a resource, but one resource may hold
 * exactly those values: the one list of strings named like it
 * (`Article.tagList`). Such an operation's handler is written to answer the
 * distinct values of that column over every row, instead of a 501 stub.
 */

import { quoteIdent } from '../core/sql/quote.js';
import type { CustomOperation, ModelWarning, ResourceModel } from './api-model.js';
import { singularize, words } from './naming.js';

type Schema = Record<string, unknown>;

const isSchema = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A schema of a list of strings with nothing else required of it (no enum or pattern to satisfy). */
function stringList(schema: unknown): boolean {
  if (!isSchema(schema) || schema.type !== 'array' || !isSchema(schema.items)) return false;
  return schema.items.type === 'string' && schema.minItems === undefined && schema.uniqueItems !== false;
}

/**
 * Gives `op.distinct` when the operation is a parameterless GET answering one list of strings
 * (bare, or the one property of an object: `{ tags }`) and exactly one resource column holds lists
 * of strings named like it (`tagList`, `tags` for `tags`); a resource whose rows belong to users is
 * never read so (every caller would see every user's values).
 */
export function distinctValues(
  op: CustomOperation,
  resources: readonly ResourceModel[],
  warnings: ModelWarning[],
  at: string,
): void {
  if (op.method !== 'get' || op.parameters.some((p) => p.in === 'path' || p.required) || !op.response) return;
  let key: string | undefined;
  let name: string;
  if (stringList(op.response)) name = op.specPath.split('/').filter(Boolean).at(-1) ?? '';
  else {
    const props = isSchema(op.response.properties) ? Object.entries(op.response.properties) : [];
    if (op.response.type !== 'object' || props.length !== 1 || !stringList(props[0]![1])) return;
    key = props[0]![0];
    name = key;
  }
  const wanted = singularize(words(name).at(-1) ?? '');
  if (!wanted) return;
  const found = resources.flatMap((r) =>
    r.owned
      ? []
      : r.fields
          .filter((f) => f.kind === 'json' && !f.writeOnly && !f.secret && stringList(f.jsonSchema))
          .filter((f) => singularize(words(f.name)[0] ?? '') === wanted)
          .map((f) => ({ r, f })),
  );
  if (found.length !== 1) return;
  const { r, f } = found[0]!;
  op.distinct = { table: quoteIdent(r.table), column: quoteIdent(f.column), ...(key ? { key } : {}) };
  warnings.push({
    at,
    message: `${op.method.toUpperCase()} ${op.specPath} answers the distinct values of ${r.name}.${f.name} over every row, sorted (src/operations/${op.file}.ts: yours to change).`,
  });
}
