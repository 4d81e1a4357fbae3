/** Why a migration to roll back cannot be: its down section is empty, missing, or its file is gone. */
export type IrreversibleKind = 'empty-down' | 'no-down' | 'file-gone';

/**
 * The hint of `TENON_MIGRATE_IRREVERSIBLE` for the kinds of problem found. Only an empty down section
 * is a deliberate "irreversible"; telling a user whose file has no down section at all (or whose file
 * is gone) about "an empty down section" sends them looking for something that is not there.
 */
export function irreversibleHint(kinds: ReadonlySet<IrreversibleKind>): string {
  const parts: string[] = [];
  if (kinds.has('empty-down')) parts.push('An empty down section marks a migration irreversible on purpose.');
  if (kinds.has('no-down'))
    parts.push('A file without a "-- migrate:down" section can be rolled back once one is written.');
  if (kinds.has('file-gone'))
    parts.push('A file that is gone must be restored before its migration can be rolled back.');
  parts.push('Otherwise roll back fewer steps, or undo the change with a new migration.');
  return parts.join(' ');
}
