import {
  alterCommands,
  columnDefinition,
  list,
  type Node,
  type QualifiedName,
  rangeVarName,
  unwrap,
  walk,
} from './sql-tree.js';

/** PostgreSQL's table lock modes, weakest first (the names `pg_locks.mode` shows). */
export const LOCK_MODES = [
  'AccessShareLock',
  'RowShareLock',
  'RowExclusiveLock',
  'ShareUpdateExclusiveLock',
  'ShareLock',
  'ShareRowExclusiveLock',
  'ExclusiveLock',
  'AccessExclusiveLock',
] as const;

/** One table lock mode. */
export type LockMode = (typeof LOCK_MODES)[number];

/** 1 (AccessShare) … 8 (AccessExclusive). */
export function lockStrength(mode: LockMode): number {
  return LOCK_MODES.indexOf(mode) + 1;
}

/** What other sessions cannot do while `mode` is held (from PostgreSQL's conflict table). */
export function lockBlocks(mode: LockMode): string {
  switch (mode) {
    case 'AccessExclusiveLock':
      return 'blocks every read and write';
    case 'ExclusiveLock':
      return 'blocks writes and SELECT … FOR UPDATE';
    case 'ShareRowExclusiveLock':
    case 'ShareLock':
      return 'blocks writes';
    case 'ShareUpdateExclusiveLock':
      return 'blocks other schema changes, VACUUM and index builds, not reads or writes';
    default:
      return 'blocks only ACCESS EXCLUSIVE (schema changes that lock the table)';
  }
}

/** PostgreSQL's table-lock conflict table: the modes each mode conflicts with (its documentation, 13.3.1). */
const CONFLICTS: Record<LockMode, readonly LockMode[]> = {
  // LOCK_MODES is weakest first: most modes conflict with a tail of it.
  AccessShareLock: LOCK_MODES.slice(7),
  RowShareLock: LOCK_MODES.slice(6),
  RowExclusiveLock: LOCK_MODES.slice(4),
  ShareUpdateExclusiveLock: LOCK_MODES.slice(3),
  // SHARE is the exception: it does not conflict with itself.
  ShareLock: LOCK_MODES.slice(2).filter((m) => m !== 'ShareLock'),
  ShareRowExclusiveLock: LOCK_MODES.slice(2),
  ExclusiveLock: LOCK_MODES.slice(1),
  AccessExclusiveLock: LOCK_MODES,
};

/**
 * True when holding `held` already blocks everything `mode` would: every mode that conflicts with
 * `mode` conflicts with `held` too. A transaction that holds ACCESS EXCLUSIVE on a table and then
 * takes ROW EXCLUSIVE on it (an UPDATE after an ALTER) blocks nobody new; SHARE does not cover ROW
 * EXCLUSIVE (two SHARE holders coexist, a writer and a SHARE holder do not).
 */
export function lockCovers(held: LockMode, mode: LockMode): boolean {
  const heldConflicts = CONFLICTS[held];
  return CONFLICTS[mode].every((m) => heldConflicts.includes(m));
}

/** `AccessExclusiveLock` → `ACCESS EXCLUSIVE`. */
export function lockName(mode: LockMode): string {
  return mode
    .replace(/Lock$/, '')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toUpperCase();
}

/** A table lock a statement takes, as predicted from its parse tree. */
export interface PredictedLock {
  /** The locked relation: a table, or an index (`index: true`) whose table the caller may know. */
  table: QualifiedName;
  mode: LockMode;
  /** True when `table` names an index (DROP INDEX, REINDEX INDEX, ALTER INDEX … RENAME). */
  index?: boolean;
}

function stronger(a: LockMode, b: LockMode): LockMode {
  return lockStrength(a) >= lockStrength(b) ? a : b;
}

/** The lock an `ALTER TABLE` sub-command takes on its table (PostgreSQL's AlterTableGetLockLevel). */
export function alterCommandLock(subtype: string, def: unknown): LockMode {
  switch (subtype) {
    case 'AT_ValidateConstraint':
    case 'AT_SetStatistics':
    case 'AT_SetOptions':
    case 'AT_ResetOptions':
    case 'AT_SetRelOptions':
    case 'AT_ResetRelOptions':
    case 'AT_ClusterOn':
    case 'AT_DropCluster':
    case 'AT_AttachPartition':
      return 'ShareUpdateExclusiveLock';
    case 'AT_EnableTrig':
    case 'AT_EnableAlwaysTrig':
    case 'AT_EnableReplicaTrig':
    case 'AT_DisableTrig':
    case 'AT_EnableTrigAll':
    case 'AT_DisableTrigAll':
    case 'AT_EnableTrigUser':
    case 'AT_DisableTrigUser':
    case 'AT_AlterConstraint':
      return 'ShareRowExclusiveLock';
    case 'AT_DetachPartition':
      return unwrap(def, 'PartitionCmd')?.concurrent === true
        ? 'ShareUpdateExclusiveLock'
        : 'AccessExclusiveLock';
    case 'AT_AddConstraint':
      return unwrap(def, 'Constraint')?.contype === 'CONSTR_FOREIGN'
        ? 'ShareRowExclusiveLock'
        : 'AccessExclusiveLock';
    default:
      return 'AccessExclusiveLock';
  }
}

/** Tables a foreign key in `node` references (they get SHARE ROW EXCLUSIVE). */
function referencedTables(node: unknown): QualifiedName[] {
  const out: QualifiedName[] = [];
  walk(node, (kind, inner) => {
    if (kind === 'Constraint' && inner.contype === 'CONSTR_FOREIGN') {
      const name = rangeVarName(inner.pktable);
      if (name) out.push(name);
    }
  });
  return out;
}

/** Tables read by a query or expression (AccessShare). */
function readTables(node: unknown, except: QualifiedName | undefined): QualifiedName[] {
  const out: QualifiedName[] = [];
  walk(node, (kind, inner) => {
    if (kind === 'RangeVar') {
      const name = rangeVarName(inner);
      if (name && !(except && name.name === except.name && name.schema === except.schema)) out.push(name);
    }
  });
  return out;
}

/**
 * The table locks a statement takes, predicted from its parse tree, the way
 * PostgreSQL's documentation lists them per command. Used by the rules that
 * reason about lock queues and by `trace` to compare with what `pg_locks`
 * shows. Index names (DROP INDEX, REINDEX INDEX) appear as the locked
 * relation; the runner maps them to tables when it knows them.
 */
export function predictLocks(kind: string, s: Node): readonly PredictedLock[] {
  // Rules ask again for the same statements (exclusive-lock-held looks at every earlier statement
  // of the migration for each statement): walk each parse tree once.
  if (typeof s !== 'object' || s === null) return predictLocksUncached(kind, s);
  const cached = predicted.get(s);
  if (cached?.kind === kind) return cached.locks;
  const locks = predictLocksUncached(kind, s);
  predicted.set(s, { kind, locks });
  return locks;
}

const predicted = new WeakMap<Node, { kind: string; locks: readonly PredictedLock[] }>();

function predictLocksUncached(kind: string, s: Node): PredictedLock[] {
  const locks: PredictedLock[] = [];
  const add = (table: QualifiedName | undefined, mode: LockMode, index = false) => {
    if (!table) return;
    const same = locks.find((l) => l.table.name === table.name && l.table.schema === table.schema);
    if (same) same.mode = stronger(same.mode, mode);
    else locks.push({ table, mode, ...(index ? { index } : {}) });
  };
  switch (kind) {
    case 'AlterTableStmt': {
      const table = rangeVarName(s.relation);
      let mode: LockMode = 'AccessShareLock';
      for (const cmd of alterCommands(s)) {
        mode = stronger(mode, alterCommandLock(cmd.subtype, cmd.def));
        if (cmd.subtype === 'AT_AttachPartition' || cmd.subtype === 'AT_DetachPartition') {
          add(rangeVarName(unwrap(cmd.def, 'PartitionCmd')?.name), 'AccessExclusiveLock');
        }
        const column = columnDefinition(cmd.def);
        for (const ref of referencedTables(
          column ? column.constraints.map((c) => ({ Constraint: c })) : cmd.def,
        )) {
          add(ref, 'ShareRowExclusiveLock');
        }
      }
      add(table, mode);
      break;
    }
    case 'CreateStmt':
      for (const ref of referencedTables(s.tableElts)) add(ref, 'ShareRowExclusiveLock');
      for (const parent of list(s.inhRelations)) add(rangeVarName(parent), 'ShareUpdateExclusiveLock');
      break;
    case 'IndexStmt':
      add(rangeVarName(s.relation), s.concurrent ? 'ShareUpdateExclusiveLock' : 'ShareLock');
      break;
    case 'DropStmt': {
      if (!['OBJECT_TABLE', 'OBJECT_INDEX', 'OBJECT_VIEW', 'OBJECT_MATVIEW'].includes(String(s.removeType)))
        break;
      for (const object of list(s.objects)) {
        const parts = list(unwrap(object, 'List')?.items)
          .map((i) => unwrap(i, 'String')?.sval)
          .filter((v): v is string => typeof v === 'string');
        if (parts.length === 0) continue;
        const name = { schema: parts.length > 1 ? parts.at(-2) : undefined, name: parts.at(-1)! };
        add(
          name,
          s.concurrent ? 'ShareUpdateExclusiveLock' : 'AccessExclusiveLock',
          s.removeType === 'OBJECT_INDEX',
        );
      }
      break;
    }
    case 'RenameStmt':
      if (s.renameType === 'OBJECT_INDEX') add(rangeVarName(s.relation), 'ShareUpdateExclusiveLock', true);
      else add(rangeVarName(s.relation), 'AccessExclusiveLock');
      break;
    case 'TruncateStmt':
      for (const rel of list(s.relations)) add(rangeVarName(rel), 'AccessExclusiveLock');
      break;
    case 'VacuumStmt': {
      const full = list(s.options).some((o) => unwrap(o, 'DefElem')?.defname === 'full');
      for (const rel of list(s.rels)) {
        add(
          rangeVarName(unwrap(rel, 'VacuumRelation')?.relation),
          s.is_vacuumcmd && full ? 'AccessExclusiveLock' : 'ShareUpdateExclusiveLock',
        );
      }
      break;
    }
    case 'ClusterStmt':
      add(rangeVarName(s.relation), 'AccessExclusiveLock');
      break;
    case 'ReindexStmt': {
      const concurrently = list(s.params).some((p) => unwrap(p, 'DefElem')?.defname === 'concurrently');
      if (s.kind === 'REINDEX_OBJECT_INDEX' || s.kind === 'REINDEX_OBJECT_TABLE') {
        add(
          rangeVarName(s.relation),
          concurrently
            ? 'ShareUpdateExclusiveLock'
            : s.kind === 'REINDEX_OBJECT_INDEX'
              ? 'AccessExclusiveLock'
              : 'ShareLock',
          s.kind === 'REINDEX_OBJECT_INDEX',
        );
      }
      break;
    }
    case 'CreateTrigStmt':
      add(rangeVarName(s.relation), 'ShareRowExclusiveLock');
      break;
    case 'CreatePolicyStmt':
    case 'AlterPolicyStmt':
      add(rangeVarName(s.table), 'AccessExclusiveLock');
      break;
    case 'RefreshMatViewStmt':
      add(rangeVarName(s.relation), s.concurrent ? 'ExclusiveLock' : 'AccessExclusiveLock');
      break;
    case 'LockStmt': {
      const mode = LOCK_MODES[Math.max(0, Math.min(7, Number(s.mode ?? 8) - 1))]!;
      for (const rel of list(s.relations)) add(rangeVarName(rel), mode);
      break;
    }
    case 'InsertStmt':
    case 'UpdateStmt':
    case 'DeleteStmt':
    case 'MergeStmt': {
      const target = rangeVarName(s.relation);
      add(target, 'RowExclusiveLock');
      for (const name of readTables({ ...s, relation: undefined }, target)) add(name, 'AccessShareLock');
      break;
    }
    case 'SelectStmt':
    case 'CreateTableAsStmt':
    case 'ViewStmt':
      for (const name of readTables(kind === 'SelectStmt' ? s : s.query, undefined)) {
        add(name, 'AccessShareLock');
      }
      break;
    case 'CommentStmt':
      break;
    default:
      break;
  }
  return locks;
}
