import type { IndexInfo } from './catalog/indexes.js';
import type { TableInfo } from './catalog/tables.js';
import type { Finding, FindingFix } from './check.js';
import { type CandidateIndex, describeCandidate, indexOptionOf } from './index-advisor/candidates.js';
import { indexBuildSql, madeRedundant } from './index-advisor/index-ddl.js';
import { partitionsOf } from './index-advisor/partitions.js';
import { toMigrationName } from './sql-text.js';

/** What planning the fixes of one run needs from the catalog. */
export interface FixPlanContext {
  tables: readonly TableInfo[];
  indexes: readonly IndexInfo[];
  /** Schema of an installed pg_trgm (its operator class is qualified with it). */
  trigramSchema?: string;
}

type Create = NonNullable<FindingFix['createsIndex']>;

/** Whether `table` is `ancestor` or one of its partitions (at any depth). */
function within(table: string, ancestor: string, parents: ReadonlyMap<string, string | null>): boolean {
  for (let t: string | null | undefined = table; t; t = parents.get(t)) if (t === ancestor) return true;
  return false;
}

/**
 * Whether the index `b` serves every lookup `a` would: same kind and
 * predicate, on the same table or an ancestor of a partition, and a key
 * that starts with `a`'s (in any order for a foreign key's index, in the
 * same directions otherwise), with `a`'s INCLUDE columns somewhere in it.
 */
export function serves(
  b: Create,
  a: Create,
  parents: ReadonlyMap<string, string | null> = new Map(),
): boolean {
  const x = a.candidate;
  const y = b.candidate;
  if (!within(x.table, y.table, parents) || x.method !== y.method || x.predicate !== y.predicate)
    return false;
  if (y.columns.length < x.columns.length) return false;
  if (a.anyOrder) {
    const lead = new Set(y.columns.slice(0, x.columns.length));
    if (!x.columns.every((c) => lead.has(c))) return false;
  } else {
    const option = (c: CandidateIndex, i: number) =>
      indexOptionOf(c.descending?.[i] ?? false, c.nullsFirst?.[i]);
    if (!x.columns.every((c, i) => y.columns[i] === c && option(x, i) === option(y, i))) return false;
  }
  const stored = new Set([...y.columns, ...(y.include ?? [])]);
  return (x.include ?? []).every((c) => stored.has(c));
}

function size(c: Create): number {
  return c.candidate.columns.length * 10 + (c.candidate.include?.length ?? 0) - (c.anyOrder ? 1 : 0);
}

/**
 * Plans every index fix of one run together, so that applying them all
 * converges (the next analysis reports nothing tenon's own fixes caused):
 * - an index another planned index serves is folded into it (a foreign
 *   key's `(customer_id)` into `(customer_id, rental_date)`; a partition's
 *   index into its partitioned parent's), and the finding says so;
 * - an existing plain index the new one makes redundant (its key a leading
 *   part of the new key) is dropped by the same migration, after the
 *   build, and rebuilt by its down — a finding that proposed dropping it
 *   gets that migration;
 * - indexes on partitioned tables are built ON ONLY the parent, per
 *   partition (attaching a partition's matching index rather than
 *   building a second one, never one a fix drops) and attached.
 *
 * Returns new findings; those without an index fix are returned as they are.
 */
export function planIndexFixes(findings: readonly Finding[], ctx: FixPlanContext): Finding[] {
  const parents = new Map(ctx.tables.map((t) => [t.qualified, t.parent]));
  const partitions = partitionsOf(ctx.tables);
  const creates = findings.filter((f) => f.fix?.createsIndex).map((f) => f.fix!.createsIndex!);
  const unique = [...new Map(creates.map((c) => [c.candidate.key + (c.anyOrder ? '*' : ''), c])).values()];
  // The planned index each create is folded into: the largest one that serves it, itself if none.
  const target = (c: Create): Create => {
    const servers = unique.filter(
      (o) => o !== c && serves(o, c, parents) && !(serves(c, o, parents) && size(c) >= size(o)),
    );
    return servers.sort((p, q) => size(q) - size(p))[0] ?? c;
  };
  const resolve = (c: Create): Create => {
    let t = c;
    for (let i = 0; i < 10; i++) {
      const next = target(t);
      if (next === t) break;
      t = next;
    }
    return t;
  };
  const targets = [...new Set(unique.map(resolve))];
  const replaces = new Map(targets.map((t) => [t, madeRedundant(t.candidate, ctx.indexes)]));
  const dropped = new Set<string>([
    ...findings.flatMap((f) => (f.fix?.dropsIndex ? [f.fix.dropsIndex] : [])),
    ...[...replaces.values()].flat().map((i) => i.qualified),
  ]);
  const fixes = new Map<Create, FindingFix>();
  for (const t of targets) {
    const sql = indexBuildSql(t.candidate, t.name, {
      tree: partitions.tree(t.candidate.table),
      existing: ctx.indexes,
      dropped,
      replaces: replaces.get(t) ?? [],
      ...(ctx.trigramSchema ? { trigramSchema: ctx.trigramSchema } : {}),
    });
    fixes.set(t, {
      name: toMigrationName(`add_index_${t.name}`),
      up: sql.up,
      down: sql.down,
      migration: true,
      createsIndex: t,
    });
  }
  const byDrop = new Map<string, Create>();
  for (const [t, olds] of replaces) for (const old of olds) byDrop.set(old.qualified, t);
  const keyOf = (c: Create) =>
    unique.find((u) => u.candidate.key === c.candidate.key && !!u.anyOrder === !!c.anyOrder)!;
  return findings.map((finding) => {
    const fix = finding.fix;
    if (fix?.createsIndex) {
      const t = resolve(keyOf(fix.createsIndex));
      const planned = fixes.get(t)!;
      const folded = t.candidate.key !== fix.createsIndex.candidate.key;
      return {
        ...finding,
        recommendation: folded
          ? `${finding.recommendation} Planned with this run's other fixes: ${describeCandidate(t.candidate)} (${t.name}) serves it, so no second index is built.`
          : finding.recommendation,
        fix: planned,
      };
    }
    if (fix?.dropsIndex && byDrop.has(fix.dropsIndex)) {
      const t = byDrop.get(fix.dropsIndex)!;
      return {
        ...finding,
        recommendation: `${finding.recommendation} The migration that builds ${t.name} drops it after the build.`,
        fix: fixes.get(t)!,
      };
    }
    return finding;
  });
}
