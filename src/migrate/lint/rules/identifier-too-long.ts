import type { LintRule, RuleFinding } from '../lint-rule.js';
import type { Node } from '../sql-tree.js';

/** Fields of the parse tree that name an object being created or renamed. */
const NAME_FIELDS = [
  'relname',
  'colname',
  'idxname',
  'conname',
  'newname',
  'trigname',
  'policy_name',
  'schemaname',
];

function collectNames(node: unknown, out: { name: string; location: number | undefined }[]): void {
  if (Array.isArray(node)) {
    for (const item of node) collectNames(item, out);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const n = node as Node;
  for (const field of NAME_FIELDS) {
    const value = n[field];
    if (typeof value === 'string')
      out.push({ name: value, location: typeof n.location === 'number' ? n.location : undefined });
  }
  for (const value of Object.values(n)) if (value && typeof value === 'object') collectNames(value, out);
}

const CREATING = new Set([
  'CreateStmt',
  'IndexStmt',
  'AlterTableStmt',
  'RenameStmt',
  'CreateTrigStmt',
  'CreatePolicyStmt',
  'ViewStmt',
  'CreateTableAsStmt',
  'CreateSchemaStmt',
]);

/** Names longer than PostgreSQL's 63-byte limit. */
export const identifierTooLong: LintRule = {
  name: 'identifier-too-long',
  summary:
    'PostgreSQL cuts identifiers to 63 bytes without an error: the object gets a different name than the migration says.',
  defaultSeverity: 'warning',
  effect: 'none',
  counterparts: { squawk: ['identifier-too-long'], strongMigrations: [] },
  examples: {
    bad: [`create index ${'idx_'.padEnd(70, 'x')} on users (email);`],
    good: ['create index users_email_idx on users (email);'],
  },
  check(ctx) {
    if (!CREATING.has(ctx.statement.kind)) return undefined;
    const names: { name: string; location: number | undefined }[] = [];
    collectNames(ctx.statement.stmt, names);
    const seen = new Set<string>();
    const findings: RuleFinding[] = [];
    for (const { name, location } of names) {
      if (Buffer.byteLength(name, 'utf8') <= 63 || seen.has(name)) continue;
      seen.add(name);
      const cut = Buffer.from(name, 'utf8').subarray(0, 63).toString('utf8');
      findings.push({
        message: `"${name}" is ${Buffer.byteLength(name, 'utf8')} bytes: PostgreSQL silently cuts it to "${cut}", so later statements (and the down section) that use the full name miss it.`,
        fix: 'Use a name of at most 63 bytes.',
        ...(location !== undefined ? { at: { location } } : {}),
      });
    }
    return findings;
  },
};
