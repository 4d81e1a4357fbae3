import type { Database } from '../../core/db/database.js';
import { type LockMode, lockCovers, lockName, lockStrength } from '../lint/lock-model.js';
import { type MigrationPlan, type PlannedStatement, relationsOf } from '../plan.js';
import { type GrowingWork, growingWork } from './growing-work.js';
import { type Observation, observeLocks } from './lock-observer.js';
import { probeShadow } from './shadow-probe.js';
import {
  locksOf,
  type ObservedLock,
  type RelationFile,
  type RelationKind,
  relationFiles,
} from './trace-catalog.js';

/** A lock a traced statement took. */
export interface TracedLock {
  /** `schema.name` of the relation, `type mood` for an object, or `relation <oid>`. */
  target: string;
  kind: RelationKind | 'object';
  mode: LockMode;
  /** False when the statement had to wait for it (seen not granted). */
  granted: boolean;
  /** `commit`: held until the migration's transaction ends; `statement`: released when the statement ended. */
  heldUntil: 'commit' | 'statement';
  /**
   * Shadow time of the statements run under it, from the one that took it to
   * its release (COMMIT included), without the trace's own catalog reads
   * between them. Information only: the shadow's tables are not the live ones.
   */
  holdMs: number;
  /** The relation was created by this migration: no other session can see it, so the lock blocks nobody. */
  newObject: boolean;
  /** For an index: `schema.name` of its table. */
  table?: string;
  /** `same-session`: read from pg_locks by the traced session after the statement; `second-session`: seen by the observer while it ran. */
  observedBy: 'same-session' | 'second-session';
}

/** A relation whose file changed: PostgreSQL wrote it again. */
export interface TracedRewrite {
  relation: string;
  kind: RelationKind;
  /** Size of the relation in the live database (when given), else in the shadow. */
  rows: number;
  bytes: number;
}

/** One statement as it ran on the shadow. */
export interface TracedStatement {
  index: number;
  line: number;
  column: number;
  /** The statement's first line (up to 100 characters). */
  sql: string;
  kind: string;
  /** Wall time in the shadow: information, not a verdict (see `probeMs`). */
  durationMs: number;
  /**
   * When `durationMs` reached the slow line: the slowest of three runs of a
   * reference DDL statement in the same session right after it, the
   * calibration that tells a slow statement from a loaded machine.
   */
  probeMs?: number;
  /** Work whose time grows with the rows of the tables it names (judged by their live size). */
  grows?: GrowingWork;
  /** Locks this statement took (those it kept from earlier statements are not repeated). */
  locks: TracedLock[];
  /** Locks taken by earlier statements of the same transaction, still held while this one ran. */
  heldFromEarlier: string[];
  rewrites: TracedRewrite[];
  /** Wait events seen by the observer (server only). */
  waits: string[];
  /** pg_locks samples the observer took (0 on PGlite: one connection). */
  samples: number;
  /** False when nothing could see its locks: a statement that cannot run in a transaction, on PGlite (one connection). */
  observable: boolean;
  /** Set when the statement failed; the trace stops there. */
  error?: string;
  /** Why the statement ran differently in the shadow (CONCURRENTLY removed on PGlite). */
  rewritten?: string;
}

/** One migration as it ran on the shadow. */
export interface TracedMigration {
  version: string;
  name: string;
  file: string;
  transactional: boolean;
  /** Statements in the migration (`statements` stops at a failure, or is empty when it did not run). */
  statementCount: number;
  status: 'traced' | 'failed' | 'not-run';
  durationMs: number;
  statements: TracedStatement[];
}

/** Size of a live table, by `schema.name`. */
export type SizeLookup = (table: string) => { rows: number; bytes: number } | undefined;

const first = (sql: string) => {
  const line = sql.split('\n')[0]!.trim();
  return line.length > 100 ? `${line.slice(0, 99)}…` : line;
};

/**
 * Runs planned migrations on the shadow and records, per statement, the
 * locks it took, the relations it rewrote and how long it ran. A
 * transactional migration runs in one transaction (as `up` runs it), with
 * pg_locks and pg_class read by the same session between statements; a
 * second session (server only) watches pg_locks while each statement runs.
 * Stops at the first failing statement.
 */
export async function traceMigrations(input: {
  shadow: Database;
  plans: readonly MigrationPlan[];
  sizes: SizeLookup;
  /** From this shadow time on, a statement is calibrated against a reference statement (`traceSlow`). */
  slowMs: number;
  onMigration?: (file: string) => void;
  signal?: AbortSignal | undefined;
}): Promise<TracedMigration[]> {
  const { shadow, plans } = input;
  const canObserve = shadow.kind === 'postgres';
  const out: TracedMigration[] = [];
  let failed = false;
  await shadow.withSession(async (session) => {
    const { rows } = await session.query<{ pid: number }>('select pg_backend_pid() as pid');
    const pid = rows[0]!.pid;
    const withObserver = <T>(fn: (observer: Database | undefined) => Promise<T>) =>
      canObserve ? shadow.withSession((observer) => fn(observer)) : fn(undefined);
    await withObserver(async (observer) => {
      for (const plan of plans) {
        if (failed || input.signal?.aborted) {
          out.push(notRun(plan));
          continue;
        }
        input.onMigration?.(plan.file);
        const traced = await traceOne(session, observer, pid, plan, input.sizes, input.slowMs);
        out.push(traced);
        failed = traced.status === 'failed';
        // Each migration starts from a clean session, as `up` runs it.
        await session.exec('RESET ALL').catch(() => undefined);
      }
    });
  });
  return out;
}

function notRun(plan: MigrationPlan): TracedMigration {
  return {
    version: plan.version,
    name: plan.name,
    file: plan.file,
    transactional: plan.transactional,
    statementCount: plan.statements.length,
    status: 'not-run',
    durationMs: 0,
    statements: [],
  };
}

async function runStatement(
  session: Database,
  observer: Database | undefined,
  pid: number,
  statement: PlannedStatement,
): Promise<{ durationMs: number; error: unknown; observation: Observation | undefined }> {
  const started = performance.now();
  if (!observer) {
    try {
      await session.exec(statement.sql);
      return { durationMs: performance.now() - started, error: undefined, observation: undefined };
    } catch (error) {
      return { durationMs: performance.now() - started, error, observation: undefined };
    }
  }
  // A statement outside a transaction can take and drop its locks between two samples: gate its tables.
  const gate = statement.nonTransactional ? relationsOf(statement) : [];
  const { error, observation } = await observeLocks(observer, pid, () => session.exec(statement.sql), gate);
  return { durationMs: performance.now() - started, error, observation };
}

/**
 * A `DO` block or `CALL` may COMMIT or ROLLBACK inside (a batched backfill
 * does), which PostgreSQL allows only outside a transaction block: in a
 * migration that runs statement by statement `up` runs it so, and so must the
 * trace ("invalid transaction termination" otherwise: supabase/storage's
 * create_prefixes was traced as failing while `up` applied it).
 */
function mayControlTransactions(statement: PlannedStatement): boolean {
  return statement.kind === 'DoStmt' || statement.kind === 'CallStmt';
}

/**
 * In a migration that runs statement by statement, a statement that may run
 * in a transaction runs in one of its own (what autocommit does anyway), so
 * the session can read its locks before they are released; one that must
 * not, or that may end transactions itself, runs as `up` runs it.
 */
async function runAlone(
  session: Database,
  observer: Database | undefined,
  pid: number,
  statement: PlannedStatement,
): Promise<{
  durationMs: number;
  error: unknown;
  observation: Observation | undefined;
  own: ObservedLock[];
}> {
  if (statement.nonTransactional || mayControlTransactions(statement))
    return { ...(await runStatement(session, observer, pid, statement)), own: [] };
  await session.exec('BEGIN');
  const run = await runStatement(session, observer, pid, statement);
  if (run.error) {
    await session.exec('ROLLBACK').catch(() => undefined);
    return { ...run, own: [] };
  }
  const own = await locksOf(session, pid);
  try {
    await session.exec('COMMIT');
    return { ...run, own };
  } catch (error) {
    return { ...run, error, own };
  }
}

async function traceOne(
  session: Database,
  observer: Database | undefined,
  pid: number,
  plan: MigrationPlan,
  sizes: SizeLookup,
  slowMs: number,
): Promise<TracedMigration> {
  const migrationStart = performance.now();
  const atStart = await relationFiles(session);
  const traced: TracedStatement[] = [];
  // Locks the transaction holds: key → the lock and the position of the statement that took it.
  const held = new Map<string, { lock: TracedLock; from: number; relation: string }>();
  const sizeOf = (name: string, shadowFile: RelationFile | undefined) => {
    const live = sizes(name);
    return live ?? (shadowFile ? { rows: shadowFile.rows, bytes: shadowFile.bytes } : { rows: 0, bytes: 0 });
  };
  let failed = false;
  if (plan.transactional) await session.exec('BEGIN');
  for (const statement of plan.statements) {
    const before = await relationFiles(session);
    let durationMs: number;
    let error: unknown;
    let observation: Observation | undefined;
    let own: ObservedLock[];
    if (plan.transactional) {
      ({ durationMs, error, observation } = await runStatement(session, observer, pid, statement));
      own = error ? [] : await locksOf(session, pid);
    } else {
      ({ durationMs, error, observation, own } = await runAlone(session, observer, pid, statement));
    }
    const until: 'commit' | 'statement' = plan.transactional ? 'commit' : 'statement';
    const after = error ? before : await relationFiles(session);
    const isNew = (lock: ObservedLock) =>
      lock.oid !== undefined ? !atStart.has(lock.oid) : lock.target.startsWith('relation ');
    const locks: TracedLock[] = [];
    const heldFromEarlier = [...held.values()].map((h) => `${lockName(h.lock.mode)} ${h.lock.target}`);
    // The observer cannot name relations created by the uncommitted transaction: compare by OID.
    const keyOf = (lock: { oid?: string | undefined; target: string; mode: string }) =>
      `${lock.oid ?? lock.target}|${lock.mode}`;
    const taken = new Set<string>();
    const add = (
      lock: ObservedLock,
      heldUntil: 'commit' | 'statement',
      observedBy: TracedLock['observedBy'],
    ) => {
      const key = keyOf(lock);
      if (held.has(key) || taken.has(key)) return;
      // A weaker lock on a relation the transaction already holds more strongly blocks nobody new:
      // listing it under this statement read as a second lock (an UPDATE after an ALTER TABLE).
      const relation = lock.oid ?? lock.target;
      const covered = [...held.values()].some(
        (h) => h.relation === relation && h.lock.mode !== lock.mode && lockCovers(h.lock.mode, lock.mode),
      );
      if (covered) return;
      taken.add(key);
      // The traced session cannot see a relation it dropped (the index ALTER COLUMN … TYPE
      // rebuilds): name it as it was when the migration started, not by its OID.
      const dropped =
        lock.oid !== undefined && lock.target.startsWith('relation ') ? atStart.get(lock.oid) : undefined;
      const table = dropped ? dropped.table : lock.table;
      const entry: TracedLock = {
        target: dropped ? `${dropped.name} (dropped here)` : lock.target,
        kind: dropped ? dropped.kind : lock.kind,
        ...(table ? { table } : {}),
        mode: lock.mode,
        granted: lock.granted,
        heldUntil,
        holdMs: Math.round(durationMs),
        newObject: isNew(lock),
        observedBy,
      };
      locks.push(entry);
      if (heldUntil === 'commit')
        held.set(key, { lock: entry, from: traced.length, relation: lock.oid ?? lock.target });
      return entry;
    };
    for (const lock of own) add(lock, until, 'same-session');
    for (const lock of observation?.locks ?? []) {
      const stillHeld = own.some((o) => keyOf(o) === keyOf(lock));
      if (!stillHeld) add(lock, 'statement', 'second-session');
    }
    // Weakest lock modes on the same relation add nothing to the picture once a stronger one is held.
    locks.sort((a, b) => lockStrength(b.mode) - lockStrength(a.mode) || a.target.localeCompare(b.target));
    const rewrites: TracedRewrite[] = [];
    const beforeByName = new Map([...before.values()].map((f) => [f.name, f]));
    for (const [oid, file] of after) {
      // Same OID, new file: rewritten. Same name, new OID: an index rebuilt (ALTER COLUMN … TYPE recreates them).
      const was = before.get(oid) ?? (file.kind === 'index' ? beforeByName.get(file.name) : undefined);
      if (!was || was.relfilenode === file.relfilenode || file.relfilenode === '0') continue;
      const size = sizeOf(file.kind === 'index' && file.table ? file.table : file.name, was);
      rewrites.push({ relation: file.name, kind: file.kind, rows: size.rows, bytes: size.bytes });
    }
    // Only a statement that reached the slow line is calibrated: the reference costs three round trips.
    const probeMs =
      !error && durationMs >= slowMs ? await probeShadow(session, plan.transactional) : undefined;
    const grows = growingWork(statement);
    traced.push({
      index: statement.index,
      line: statement.line,
      column: statement.column,
      sql: first(statement.sql),
      kind: statement.kind,
      durationMs: Math.round(durationMs * 10) / 10,
      ...(probeMs !== undefined ? { probeMs } : {}),
      ...(grows ? { grows } : {}),
      locks,
      heldFromEarlier,
      rewrites,
      waits: observation?.waits ?? [],
      samples: observation?.samples ?? 0,
      observable:
        observer !== undefined ||
        plan.transactional ||
        !(statement.nonTransactional || mayControlTransactions(statement)),
      ...(error ? { error: (error as Error).message } : {}),
      ...(statement.rewritten ? { rewritten: statement.rewritten } : {}),
    });
    if (error) {
      failed = true;
      break;
    }
  }
  if (plan.transactional) {
    let commitMs = 0;
    if (failed) await session.exec('ROLLBACK').catch(() => undefined);
    else {
      const commitStart = performance.now();
      try {
        await session.exec('COMMIT');
        commitMs = performance.now() - commitStart;
      } catch (error) {
        failed = true;
        const last = traced.at(-1);
        if (last) last.error = `COMMIT failed: ${(error as Error).message}`;
      }
    }
    for (const { lock, from } of held.values())
      lock.holdMs = Math.round(traced.slice(from).reduce((sum, s) => sum + s.durationMs, commitMs));
  }
  return {
    version: plan.version,
    name: plan.name,
    file: plan.file,
    transactional: plan.transactional,
    statementCount: plan.statements.length,
    status: failed ? 'failed' : 'traced',
    durationMs: Math.round(performance.now() - migrationStart),
    statements: traced,
  };
}
