/**
 * goose's annotations, read so that a goose project's files run unchanged:
 * `-- +goose Up` and `-- +goose Down` start the sections (as dbmate's
 * `-- migrate:up` and `-- migrate:down` do), `-- +goose NO TRANSACTION`
 * runs the whole file outside a transaction, and `StatementBegin` /
 * `StatementEnd` need no reading: goose splits statements at semicolons and
 * needs them around dollar-quoted bodies, tenon splits with PostgreSQL's own
 * parser. `-- +goose ENVSUB ON` (environment variables substituted into the
 * SQL) has no counterpart and is refused.
 */
export type GooseMarker = 'up' | 'down' | 'no-transaction' | 'statement' | 'envsub';

const GOOSE = /^--\s*\+goose\s+(.*?)\s*$/i;

/** What a trimmed line says to goose, or `undefined` when it is not a goose annotation. */
export function gooseMarker(trimmed: string): GooseMarker | 'unknown' | undefined {
  const match = GOOSE.exec(trimmed);
  if (!match) return undefined;
  const command = match[1]!.toLowerCase().replace(/\s+/g, ' ');
  if (command === 'up') return 'up';
  if (command === 'down') return 'down';
  if (command === 'no transaction') return 'no-transaction';
  if (command === 'statementbegin' || command === 'statementend') return 'statement';
  if (command.startsWith('envsub')) return 'envsub';
  return 'unknown';
}
