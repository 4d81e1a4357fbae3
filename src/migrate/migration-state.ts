import type { HistoryRow } from './history-table.js';
import type { MigrationSource } from './migration-files.js';

/**
 * Where a migration stands, comparing the files with the history table:
 * - `applied`: recorded, and the file has the recorded checksum;
 * - `pending`: a file with no history row (see `outOfOrder`);
 * - `dirty`: a non-transactional migration stopped part-way (or is running now);
 * - `changed`: recorded, but the file was edited since (line endings and a BOM do not count);
 * - `missing`: recorded, but no file has its version.
 */
export type MigrationState = 'applied' | 'pending' | 'dirty' | 'changed' | 'missing';

/** One line of `tenon migrate status`. */
export interface MigrationStatus {
  version: string;
  name: string;
  state: MigrationState;
  /** File name, when the file exists. */
  file: string | null;
  /** A pending migration older than the newest recorded one. */
  outOfOrder: boolean;
  appliedAt: Date | null;
  executionMs: number | null;
  appliedBy: string | null;
  /** Checksum in the history (recorded) and of the file now. */
  checksum: string | null;
  fileChecksum: string | null;
  /** Progress of a non-transactional migration. */
  statementsDone: number | null;
  statementsTotal: number | null;
  /** Why a dirty migration stopped; `null` on a dirty row released by `repair --retry`. */
  error: string | null;
  /** A dirty row released by `repair --retry`: the next `up` resumes it. */
  resumable: boolean;
  /** A dirty row left by `down`, not `up`. */
  failedDown: boolean;
}

/** Marks the `error` of a dirty row written while rolling back. */
export const DOWN_ERROR_PREFIX = 'down: ';

/**
 * Merges the files and the history into one list, ordered by version.
 * Pure: the caller reads both once (one query, one directory read).
 */
export function computeMigrationStatus(
  files: readonly MigrationSource[],
  history: readonly HistoryRow[],
): MigrationStatus[] {
  const rows = new Map(history.map((row) => [row.version, row]));
  const sources = new Map(files.map((file) => [file.version, file]));
  const newestRecorded = history.reduce<string | undefined>(
    (max, row) => (max === undefined || row.version > max ? row.version : max),
    undefined,
  );
  const versions = [...new Set([...rows.keys(), ...sources.keys()])].sort();
  return versions.map((version) => {
    const row = rows.get(version);
    const file = sources.get(version);
    let state: MigrationState;
    if (!row) state = 'pending';
    else if (row.state === 'dirty') state = 'dirty';
    else if (!file) state = 'missing';
    else if (file.checksum !== row.checksum) state = 'changed';
    else state = 'applied';
    return {
      version,
      name: file?.name ?? row?.name ?? '',
      state,
      file: file?.file ?? null,
      outOfOrder: !row && newestRecorded !== undefined && version < newestRecorded,
      appliedAt: row?.appliedAt ?? null,
      executionMs: row?.executionMs ?? null,
      appliedBy: row?.appliedBy ?? null,
      checksum: row?.checksum ?? null,
      fileChecksum: file?.checksum ?? null,
      statementsDone: row ? row.statementsDone : null,
      statementsTotal: row ? row.statementsTotal : null,
      error: row?.error ?? null,
      resumable: row?.state === 'dirty' && row.error === null,
      failedDown: row?.state === 'dirty' && (row.error ?? '').startsWith(DOWN_ERROR_PREFIX),
    };
  });
}

/** Counts per state, for summaries. */
export function countStates(statuses: readonly MigrationStatus[]): Record<MigrationState, number> {
  const counts: Record<MigrationState, number> = { applied: 0, pending: 0, dirty: 0, changed: 0, missing: 0 };
  for (const s of statuses) counts[s.state]++;
  return counts;
}
