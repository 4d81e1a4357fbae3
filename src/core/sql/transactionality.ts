type Node = Record<string, unknown> | undefined;

function hasConcurrentlyOption(params: unknown): boolean {
  return (
    Array.isArray(params) &&
    params.some((p) => {
      const def = (p as { DefElem?: { defname?: string } }).DefElem;
      return def?.defname === 'concurrently';
    })
  );
}

/**
 * Why PostgreSQL refuses to run a statement inside a transaction block, from
 * its parse tree, or `undefined` when it may run in one. Covers what
 * migrations meet in practice: concurrent index builds and drops, REINDEX
 * CONCURRENTLY, VACUUM, DETACH PARTITION CONCURRENTLY, database and
 * tablespace DDL, ALTER SYSTEM, subscriptions, and CLUSTER of a whole database.
 */
export function nonTransactionalReason(kind: string, stmt: Node): string | undefined {
  const s = stmt ?? {};
  switch (kind) {
    case 'IndexStmt':
      return s.concurrent ? 'CREATE INDEX CONCURRENTLY' : undefined;
    case 'DropStmt':
      return s.concurrent ? 'DROP INDEX CONCURRENTLY' : undefined;
    case 'ReindexStmt': {
      if (hasConcurrentlyOption(s.params)) return 'REINDEX CONCURRENTLY';
      const target = String(s.kind ?? '');
      return target === 'REINDEX_OBJECT_DATABASE' || target === 'REINDEX_OBJECT_SYSTEM'
        ? 'REINDEX DATABASE/SYSTEM'
        : undefined;
    }
    case 'VacuumStmt':
      return s.is_vacuumcmd ? 'VACUUM' : undefined;
    case 'ClusterStmt':
      return s.relation ? undefined : 'CLUSTER without a table';
    case 'CreatedbStmt':
      return 'CREATE DATABASE';
    case 'DropdbStmt':
      return 'DROP DATABASE';
    case 'AlterSystemStmt':
      return 'ALTER SYSTEM';
    case 'CreateTableSpaceStmt':
      return 'CREATE TABLESPACE';
    case 'DropTableSpaceStmt':
      return 'DROP TABLESPACE';
    case 'CreateSubscriptionStmt':
      return 'CREATE SUBSCRIPTION';
    case 'DropSubscriptionStmt':
      return 'DROP SUBSCRIPTION';
    case 'AlterTableStmt': {
      const cmds = Array.isArray(s.cmds) ? s.cmds : [];
      const detachConcurrently = cmds.some((c) => {
        const cmd = (
          c as { AlterTableCmd?: { subtype?: string; def?: { PartitionCmd?: { concurrent?: boolean } } } }
        ).AlterTableCmd;
        return cmd?.subtype === 'AT_DetachPartition' && cmd.def?.PartitionCmd?.concurrent === true;
      });
      return detachConcurrently ? 'ALTER TABLE … DETACH PARTITION CONCURRENTLY' : undefined;
    }
    default:
      return undefined;
  }
}
