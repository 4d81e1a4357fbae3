import { type TypeRef, typeText } from './sql-tree.js';

/** Whether changing a column's type rewrites the table, and why. */
export interface TypeChangeVerdict {
  rewrites: 'yes' | 'no' | 'unknown';
  reason: string;
}

const TEXTUAL = new Set(['text', 'varchar']);
const TIMESTAMP = new Set(['timestamp', 'timestamptz']);

/**
 * Decides whether `ALTER COLUMN … TYPE` from `from` to `to` rewrites the
 * table. PostgreSQL skips the rewrite when the old type is binary coercible
 * to the new one and no check is needed: `varchar(n)` → `varchar(m ≥ n)` or
 * `text`, `text` ↔ unbounded `varchar`, `numeric(p,s)` → `numeric(p' ≥ p, s)`
 * or unbounded `numeric`, a wider `timestamp`/`interval`/`time` precision,
 * `cidr` → `inet`, and `timestamp` → `timestamptz` when the session time zone
 * is UTC (PostgreSQL 12+). Everything else rewrites; with the old type unknown
 * the verdict is `unknown`. A `USING` expression other than the column itself
 * (or a cast of it) forces a rewrite.
 */
export function typeChangeVerdict(
  from: TypeRef | undefined,
  to: TypeRef,
  options: { using: 'none' | 'column' | 'expression'; serverVersion: number },
): TypeChangeVerdict {
  const target = typeText(to);
  if (!from) {
    return {
      rewrites: 'unknown',
      reason: `the column's current type is unknown without a database, and most changes to ${target} rewrite the table`,
    };
  }
  const source = typeText(from);
  if (options.using === 'expression') {
    return {
      rewrites: 'yes',
      reason: `the USING expression is computed for every row (${source} → ${target})`,
    };
  }
  if (from.array !== to.array)
    return { rewrites: 'yes', reason: `${source} → ${target} converts every value` };
  const same = from.name === to.name;
  const widened = (index: number) =>
    to.mods.length === 0 || (from.mods.length > 0 && (to.mods[index] ?? 0) >= (from.mods[index] ?? 0));
  const no = (why: string): TypeChangeVerdict => ({ rewrites: 'no', reason: why });
  if (TEXTUAL.has(from.name) && TEXTUAL.has(to.name)) {
    if (to.name === 'text' || to.mods.length === 0) return no(`${source} → ${target} is binary coercible`);
    if (from.name === 'varchar' && from.mods.length > 0 && (to.mods[0] ?? 0) >= (from.mods[0] ?? 0)) {
      return no(`${source} → ${target} only raises the limit`);
    }
    return {
      rewrites: 'yes',
      reason: `${source} → ${target} lowers or adds a length limit: every row is checked`,
    };
  }
  if (same && from.name === 'numeric') {
    if (to.mods.length === 0) return no(`${source} → ${target} removes the limit`);
    if (from.mods.length > 0 && (to.mods[0] ?? 0) >= (from.mods[0] ?? 0) && to.mods[1] === from.mods[1]) {
      return no(`${source} → ${target} raises the precision with the same scale`);
    }
    return { rewrites: 'yes', reason: `${source} → ${target} changes the scale or lowers the precision` };
  }
  if (
    same &&
    ['timestamp', 'timestamptz', 'time', 'timetz', 'interval', 'varbit', 'bit'].includes(from.name)
  ) {
    if (widened(0)) return no(`${source} → ${target} keeps or widens the precision`);
    return { rewrites: 'yes', reason: `${source} → ${target} lowers the precision` };
  }
  if (same && from.mods.join() === to.mods.join()) return no('the type does not change');
  if (from.name === 'cidr' && to.name === 'inet') return no('cidr → inet is binary coercible');
  if (from.name === 'xml' && to.name === 'text') return no('xml → text is binary coercible');
  if (TIMESTAMP.has(from.name) && TIMESTAMP.has(to.name) && options.serverVersion >= 120000) {
    return {
      rewrites: 'unknown',
      reason: `${source} → ${target} skips the rewrite only when the session time zone is UTC`,
    };
  }
  return { rewrites: 'yes', reason: `${source} → ${target} converts every row` };
}
