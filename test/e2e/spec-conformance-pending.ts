import type { ConformanceRow, Framework } from '../../scripts/conformance/run-conformance.js';

/** A corpus row that does not conform yet, and why. */
export interface PendingEntry {
  /** The spec, relative to `../shared/corpus/openapi/`. */
  spec: string;
  frameworks: Framework[];
  /** What the oracle sees today. */
  reason: string;
  /** The issue that makes it conform. */
  issue: 11;
}

/**
 * The rows of `spec-conformance-{fastify,express}.e2e.test.ts` that do not conform yet (none
 * since resend.yaml, the last one, conforms). A row that stops conforming
 * goes here only with its reason and the issue that fixes it; the test fails
 * when a listed row starts conforming, so this list only shrinks.
 */
export const PENDING: PendingEntry[] = [];

/** The pending entry of a row, if any. */
export function pendingFor(spec: string, framework: Framework): PendingEntry | undefined {
  return PENDING.find((p) => p.spec === spec && p.frameworks.includes(framework));
}

/**
 * Everything that keeps a row from conforming (empty when it conforms): `databases` are those the
 * oracle had to run on (a missing one is a problem).
 */
export function conformanceProblems(
  row: ConformanceRow,
  databases: readonly ('pglite' | 'postgres')[] = ['pglite', 'postgres'],
): string[] {
  const problems: string[] = [];
  const g = row.generated;
  if (!g.ok) return [`not generated: ${g.error}`];
  if (g.notGenerated > 0) problems.push(`${g.notGenerated} operation(s) of the spec have no route`);
  if (row.install.status !== 'passed') problems.push(`install failed: ${row.install.tail}`);
  if (row.install.warnings.length) problems.push(`npm install warned: ${row.install.warnings.join(' ')}`);
  for (const step of ['lint', 'tests', 'build'] as const)
    if (row[step].status !== 'passed')
      problems.push(`${step} ${row[step].status}: ${row[step].tail?.slice(-600) ?? ''}`);
  for (const where of databases) {
    const oracle = row.oracle[where];
    if (!oracle) {
      if (row.build.status === 'passed') problems.push(`the oracle did not run on ${where}`);
      continue;
    }
    if ('error' in oracle) {
      problems.push(`oracle on ${where}: ${oracle.error.slice(0, 600)}`);
      continue;
    }
    if (oracle.servedSpecDiff.length)
      problems.push(`${where}: /openapi.json differs from the spec at ${oracle.servedSpecDiff.join(', ')}`);
    for (const op of oracle.operations) {
      if (op.notImplemented) continue;
      if (op.refused) problems.push(`${where}: ${op.method} ${op.path} ${op.refused}`);
      for (const v of op.violations)
        problems.push(`${where}: ${op.method} ${op.path} → ${op.status}: ${v.location} ${v.message}`);
    }
  }
  return problems;
}
