import type { QueryShape } from '../query-shape.js';
import { type CandidateIndex, coveringVariant } from './candidates.js';
import type { PlannedStatement } from './statement-plans.js';

/** A covering index must cut the cost of the same key without INCLUDE by this share… */
export const COVERING_MIN_GAIN = 0.3;
/** …for statements that fetch at least this many rows a call: below that, the heap fetches an INCLUDE saves are few. */
export const COVERING_MIN_ROWS = 100;

/** Whether the index is the statement's equality columns followed by its whole ORDER BY, in its directions. */
export function servesWholeSort(c: CandidateIndex, shape: QueryShape): boolean {
  const order = shape.orderBy;
  if (!order || !shape.limit || c.table !== order.table || c.method !== 'btree') return false;
  const lead = c.columns.length - order.keys.length;
  return (
    lead >= 0 &&
    order.keys.every(
      (k, i) => c.columns[lead + i] === k.column && (c.descending?.[lead + i] ?? false) === k.desc,
    )
  );
}

/** Key columns plus INCLUDE columns, a partial index counting as slightly smaller than a full one. */
export function width(c: CandidateIndex): number {
  return c.columns.length + (c.include?.length ?? 0) - (c.predicate ? 0.5 : 0);
}

/** The candidate with INCLUDE columns every statement needs to read it index-only. */
export function coveringFor(
  candidate: CandidateIndex,
  works: PlannedStatement[],
  columns: Parameters<typeof coveringVariant>[2],
): CandidateIndex | undefined {
  const variants = works.map((w) => coveringVariant(candidate, w.shape, columns));
  if (variants.some((v) => !v)) return undefined;
  const include = [...new Set(variants.flatMap((v) => v!.include ?? []))].sort();
  if (include.length > 3) return undefined;
  const widest = variants.find((v) => v!.include?.length === include.length) ?? variants[0];
  return widest?.include?.join() === include.join() ? widest : undefined;
}
