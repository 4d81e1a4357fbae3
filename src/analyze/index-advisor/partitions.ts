import type { TableInfo } from '../catalog/tables.js';
import type { PartitionNode } from './index-ddl.js';

/** Partition trees of a catalog's tables, built once. */
export interface Partitions {
  /** A table's partition tree (a plain table: one node, no children). */
  tree(table: string): PartitionNode;
  /** The partitions that hold rows (leaves) under a table; a plain table is its own leaf. */
  leaves(table: string): string[];
}

/** Indexes the catalog's parent links so that trees and leaves cost a map lookup. */
export function partitionsOf(tables: readonly TableInfo[]): Partitions {
  const byName = new Map(tables.map((t) => [t.qualified, t]));
  const children = new Map<string, string[]>();
  for (const t of tables)
    if (t.parent) children.set(t.parent, [...(children.get(t.parent) ?? []), t.qualified]);
  const trees = new Map<string, PartitionNode>();
  const tree = (table: string): PartitionNode => {
    let node = trees.get(table);
    if (!node) {
      node = {
        table,
        partitioned: byName.get(table)?.relkind === 'p',
        children: (children.get(table) ?? []).map(tree),
      };
      trees.set(table, node);
    }
    return node;
  };
  const walk = (node: PartitionNode): string[] =>
    node.partitioned ? node.children.flatMap(walk) : [node.table];
  return { tree, leaves: (table) => walk(tree(table)) };
}
