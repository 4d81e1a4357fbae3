/** `BEGIN`, `BEGIN WORK|TRANSACTION`, `START TRANSACTION`: no isolation level or other option. */
const PLAIN_BEGIN = /^(?:begin(?:\s+(?:work|transaction))?|start\s+transaction)\s*;?\s*$/i;
/** `COMMIT` or `END`, with `WORK`/`TRANSACTION` or without. */
const PLAIN_COMMIT = /^(?:commit|end)(?:\s+(?:work|transaction))?\s*;?\s*$/i;

/**
 * Whether a section's statements are wrapped whole in a transaction of the file's own — a plain
 * `BEGIN` first, `COMMIT` last, no other transaction control between, and nothing that cannot
 * run in a transaction (golang-migrate and goose files often carry one, their runners adding
 * none). tenon then runs the statements between in its own transaction, which is what the
 * wrapper asked for; any other BEGIN/COMMIT stays refused.
 */
export function ownTransactionWrapper(
  statements: readonly { text: string; transactionControl: boolean; nonTransactional?: string | undefined }[],
): boolean {
  if (statements.length < 2) return false;
  const first = statements[0]!;
  const last = statements[statements.length - 1]!;
  if (!PLAIN_BEGIN.test(first.text.trim()) || !PLAIN_COMMIT.test(last.text.trim())) return false;
  const inner = statements.slice(1, -1);
  return !inner.some((s) => s.transactionControl || s.nonTransactional !== undefined);
}
