import { quoteIdent, quoteQualified } from '../../core/sql/quote.js';
import type { IndexInfo } from '../catalog/indexes.js';
import { concurrentDefinition } from '../index-fixes.js';
import { type CandidateIndex, indexBody, indexNameFor, makeCandidate, stripParens } from './candidates.js';

/** A table and, when it is partitioned, its partitions (which may be partitioned themselves). */
export interface PartitionNode {
  /** `schema.table`. */
  table: string;
  partitioned: boolean;
  children: PartitionNode[];
}

/** What a planned index build needs to know beyond the index itself. */
export interface IndexBuildContext {
  /** The table's partition tree (a plain table: no children, not partitioned). */
  tree: PartitionNode;
  /** Existing indexes, to attach a partition's matching index instead of building a second one. */
  existing: readonly IndexInfo[];
  /** Indexes this run's fixes drop: never attached (the drop would then fail). */
  dropped: ReadonlySet<string>;
  /** Existing indexes the new one makes redundant: dropped after it is built, rebuilt by the down migration. */
  replaces: readonly IndexInfo[];
  /** Schema of pg_trgm's operator class when the extension is installed there. */
  trigramSchema?: string;
}

/** The SQL of one planned index fix. */
export interface IndexBuildSql {
  up: string;
  down: string;
  /** Partition indexes attached rather than built. */
  attached: string[];
}

function split(table: string): [string, string] {
  const dot = table.indexOf('.');
  return [table.slice(0, dot), table.slice(dot + 1)];
}

/** The text `pg_get_indexdef` ends with for this index on any table: `USING btree (a, b DESC) WHERE (c IS NULL)`. */
function definitionTail(candidate: CandidateIndex, trigramSchema?: string): string {
  const body = indexBody(candidate, trigramSchema).replace(/^USING gin /, '');
  const method = candidate.method === 'gin-trgm' ? 'gin' : 'btree';
  return normalizeDefinition(`USING ${method} ${body}`);
}

function normalizeDefinition(text: string): string {
  return text.replace(/ WHERE (.*)$/, (_, p: string) => ` WHERE ${stripParens(p)}`).replace(/\s+/g, ' ');
}

/** An existing index on `table` with exactly the candidate's definition, which can be attached to the new parent index. */
export function matchingIndex(
  candidate: CandidateIndex,
  table: string,
  existing: readonly IndexInfo[],
  dropped: ReadonlySet<string>,
  trigramSchema?: string,
): IndexInfo | undefined {
  const tail = definitionTail(candidate, trigramSchema);
  return existing
    .filter(
      (i) =>
        i.qualifiedTable === table &&
        i.valid &&
        !i.unique &&
        !dropped.has(i.qualified) &&
        normalizeDefinition(i.definition).endsWith(tail),
    )
    .sort((a, b) => (a.name < b.name ? -1 : 1))[0];
}

/**
 * The migration for one index. A plain table gets `CREATE INDEX
 * CONCURRENTLY IF NOT EXISTS`. A partitioned table cannot be indexed
 * concurrently, so it gets what PostgreSQL's documentation prescribes:
 * `CREATE INDEX … ON ONLY parent` (invalid until every partition has
 * one), a concurrent build on each partition (or an existing matching
 * index), and `ALTER INDEX … ATTACH PARTITION`, after which the parent
 * index is valid. Every statement tolerates a re-run, so a migration
 * stopped half-way resumes. A trigram index first creates pg_trgm.
 * Indexes the new one makes redundant are dropped after it is built.
 */
export function indexBuildSql(
  candidate: CandidateIndex,
  name: string,
  ctx: IndexBuildContext,
): IndexBuildSql {
  const up: string[] = [];
  const down: string[] = [];
  const attached: string[] = [];
  if (candidate.method === 'gin-trgm' && !ctx.trigramSchema)
    up.push('CREATE EXTENSION IF NOT EXISTS pg_trgm;');
  const body = (c: CandidateIndex) => indexBody(c, ctx.trigramSchema);
  const [schema, table] = split(candidate.table);
  if (!ctx.tree.partitioned) {
    up.push(
      `CREATE INDEX CONCURRENTLY IF NOT EXISTS ${quoteIdent(name)} ON ${quoteQualified(schema, table)} ${body(candidate)};`,
    );
    down.push(`DROP INDEX CONCURRENTLY IF EXISTS ${quoteQualified(schema, name)};`);
  } else {
    const build = (node: PartitionNode, indexName: string, parent?: string) => {
      const [nodeSchema, nodeTable] = split(node.table);
      const on = candidateOn(candidate, node.table);
      if (node.partitioned) {
        up.push(
          `CREATE INDEX IF NOT EXISTS ${quoteIdent(indexName)} ON ONLY ${quoteQualified(nodeSchema, nodeTable)} ${body(on)};`,
        );
        for (const child of node.children)
          build(child, indexNameFor(candidateOn(candidate, child.table)), indexName);
      } else {
        const reuse = matchingIndex(on, node.table, ctx.existing, ctx.dropped, ctx.trigramSchema);
        if (reuse) {
          indexName = reuse.name;
          attached.push(reuse.qualified);
          // Dropping the parent index drops the attached ones: build this one again.
          down.push(concurrentDefinition(reuse.definition));
        } else {
          up.push(
            `CREATE INDEX CONCURRENTLY IF NOT EXISTS ${quoteIdent(indexName)} ON ${quoteQualified(nodeSchema, nodeTable)} ${body(on)};`,
          );
        }
      }
      if (parent) {
        up.push(
          `ALTER INDEX ${quoteQualified(schema, parent)} ATTACH PARTITION ${quoteQualified(nodeSchema, indexName)};`,
        );
      }
    };
    build(ctx.tree, name);
    // A partitioned index cannot be dropped concurrently; dropping it drops its partitions' indexes.
    down.unshift(`DROP INDEX IF EXISTS ${quoteQualified(schema, name)};`);
  }
  for (const old of ctx.replaces) {
    const partitioned = ctx.tree.partitioned;
    up.push(
      `DROP INDEX ${partitioned ? '' : 'CONCURRENTLY '}IF EXISTS ${quoteQualified(old.schema, old.name)};`,
    );
    down.unshift(
      partitioned
        ? `${old.definition.replace(/^CREATE (UNIQUE )?INDEX /, 'CREATE $1INDEX IF NOT EXISTS ')};`
        : concurrentDefinition(old.definition),
    );
  }
  return { up: up.join('\n'), down: down.join('\n'), attached };
}

/** The candidate on another table of the same partition tree (same key, that table's name). */
function candidateOn(candidate: CandidateIndex, table: string): CandidateIndex {
  if (table === candidate.table) return candidate;
  return makeCandidate(table, candidate.columns, {
    ...(candidate.descending ? { descending: candidate.descending } : {}),
    ...(candidate.nullsFirst ? { nullsFirst: candidate.nullsFirst } : {}),
    ...(candidate.include ? { include: candidate.include } : {}),
    ...(candidate.predicate ? { predicate: candidate.predicate } : {}),
    method: candidate.method,
  });
}

/**
 * Existing indexes a new index makes redundant, by the rule of the
 * duplicate-index check: a plain btree (no predicate, INCLUDE, expression,
 * uniqueness or constraint) whose key is a leading part of the new key,
 * column by column in the same directions, with default operator classes
 * and collations. Left in place, the next analysis would report them.
 */
export function madeRedundant(candidate: CandidateIndex, existing: readonly IndexInfo[]): IndexInfo[] {
  if (candidate.method !== 'btree' || candidate.predicate) return [];
  return existing.filter((index) => {
    if (index.qualifiedTable !== candidate.table || !index.valid || index.method !== 'btree') return false;
    if (index.unique || index.primary || index.constraintName || index.predicate || index.includeCount > 0)
      return false;
    if (index.keyAttnums.some((n) => n === 0) || index.keyColumns.length > candidate.columns.length)
      return false;
    const prefix = makeCandidate(candidate.table, candidate.columns.slice(0, index.keyColumns.length), {
      ...(candidate.descending ? { descending: candidate.descending.slice(0, index.keyColumns.length) } : {}),
      ...(candidate.nullsFirst ? { nullsFirst: candidate.nullsFirst.slice(0, index.keyColumns.length) } : {}),
    });
    return normalizeDefinition(index.definition).endsWith(definitionTail(prefix));
  });
}
