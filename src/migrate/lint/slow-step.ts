import type { LintStatement } from './lint-rule.js';
import { alterCommands, unwrap } from './sql-tree.js';

/**
 * Why a statement's running time grows with the data it touches, from its
 * parse tree: `sure` for backfills, index builds, validations and type
 * changes; not sure for DO blocks and SELECTs (tenon cannot see inside).
 */
export function slowStep(
  statement: Pick<LintStatement, 'kind' | 'stmt'>,
): { what: string; sure: boolean } | undefined {
  const s = statement.stmt;
  const sure = (what: string) => ({ what, sure: true });
  switch (statement.kind) {
    case 'UpdateStmt':
      return sure('an UPDATE');
    case 'DeleteStmt':
      return sure('a DELETE');
    case 'MergeStmt':
      return sure('a MERGE');
    case 'InsertStmt':
      return unwrap(s.selectStmt, 'SelectStmt')?.valuesLists === undefined
        ? sure('an INSERT … SELECT')
        : undefined;
    case 'IndexStmt':
      return sure('an index build');
    case 'CreateTableAsStmt':
      return sure('a CREATE TABLE … AS');
    case 'RefreshMatViewStmt':
      return sure('a REFRESH MATERIALIZED VIEW');
    case 'ClusterStmt':
      return sure('a CLUSTER');
    case 'DoStmt':
      return { what: 'a DO block', sure: false };
    case 'SelectStmt':
      return { what: 'a SELECT', sure: false };
    case 'AlterTableStmt': {
      for (const cmd of alterCommands(s)) {
        if (cmd.subtype === 'AT_ValidateConstraint') return sure('a VALIDATE CONSTRAINT');
        if (cmd.subtype === 'AT_AlterColumnType') return sure('a column type change');
        if (cmd.subtype === 'AT_SetNotNull') return sure('a SET NOT NULL');
        const c = unwrap(cmd.def, 'Constraint');
        if (cmd.subtype === 'AT_AddConstraint' && c && c.skip_validation !== true)
          return sure('a validating ADD CONSTRAINT');
      }
      return undefined;
    }
    default:
      return undefined;
  }
}
