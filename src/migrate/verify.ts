import type { DatabaseKind } from '../core/db/database.js';
import { toTenonError } from '../core/errors.js';
import type { MigrationSource } from './migration-files.js';
import type { MigrationStatus } from './migration-state.js';
import { planMigration } from './plan.js';

/** One reason `verify` fails. */
export interface VerifyProblem {
  version: string;
  name: string;
  kind: 'changed' | 'missing' | 'dirty' | 'out-of-order' | 'invalid';
  message: string;
}

/**
 * Every drift between the files and the history: applied files edited since
 * (their checksum differs; line endings and a BOM do not count), applied
 * versions whose file is gone, dirty migrations, pending files older than
 * the newest applied one (unless out-of-order is allowed), and pending files
 * that would fail before running (unparsable SQL, BEGIN/COMMIT, bad markers).
 */
export async function verifyStatuses(
  statuses: readonly MigrationStatus[],
  files: readonly MigrationSource[],
  options: { kind: DatabaseKind; serverVersion?: number; allowOutOfOrder: boolean },
): Promise<VerifyProblem[]> {
  const problems: VerifyProblem[] = [];
  const sources = new Map(files.map((f) => [f.version, f]));
  for (const s of statuses) {
    const base = { version: s.version, name: s.name };
    if (s.state === 'changed') {
      problems.push({
        ...base,
        kind: 'changed',
        message: `${s.file} was edited after it was applied (recorded checksum ${s.checksum?.slice(0, 12)}…, file ${s.fileChecksum?.slice(0, 12)}…)`,
      });
    } else if (s.state === 'missing') {
      problems.push({
        ...base,
        kind: 'missing',
        message: `${s.version}_${s.name} is applied but its file is gone`,
      });
    } else if (s.state === 'dirty') {
      problems.push({
        ...base,
        kind: 'dirty',
        message: `${s.file ?? s.version} is dirty: ${s.error ?? 'released for retry, not finished'}`,
      });
    } else if (s.state === 'pending') {
      if (s.outOfOrder && !options.allowOutOfOrder) {
        problems.push({
          ...base,
          kind: 'out-of-order',
          message: `${s.file} is pending but older than the newest applied migration`,
        });
      }
      const source = sources.get(s.version);
      if (source) {
        try {
          await planMigration(source, 'up', { kind: options.kind, serverVersion: options.serverVersion });
        } catch (error) {
          problems.push({ ...base, kind: 'invalid', message: toTenonError(error).message });
        }
      }
    }
  }
  return problems;
}
