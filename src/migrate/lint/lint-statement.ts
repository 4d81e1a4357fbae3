import type { Node } from './sql-tree.js';

/** One top-level statement as the rules see it. */
export interface LintStatement {
  /** 1-based position in its section. */
  index: number;
  /** Parse-tree node type, e.g. `AlterTableStmt`. */
  kind: string;
  /** The statement's node (inside its type wrapper). */
  stmt: Node;
  /** The statement's text. */
  text: string;
  line: number;
  column: number;
  /** Why it cannot run in a transaction, or undefined. */
  nonTransactional: string | undefined;
  /**
   * Identifiers longer than 63 bytes as written (the parser has already cut
   * them in the tree), with their byte offset; empty for almost every statement.
   */
  longIdentifiers: readonly { text: string; location: number }[];
}
