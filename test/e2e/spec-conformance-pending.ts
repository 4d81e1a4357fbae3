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
 * The rows of `spec-conformance.e2e.test.ts` that do not conform yet. Every
 * one waits for issue 11 items 1–3 (the spec as the contract: operation
 * schemas, path keys, parameters, responses, security scopes, samples); the
 * test fails when one of them starts conforming, so this list only shrinks.
 */
const both: Framework[] = ['fastify', 'express'];
export const PENDING: PendingEntry[] = [
  {
    spec: 'museum.yaml',
    frameworks: both,
    reason:
      'answers, bodies and errors conform; the spec declares no security but the app asks for a token (prism: "Invalid security scheme used" on every call); list-only and create-only resources leave an empty describe and unused helpers (lint, tests); GET /tickets/{ticketId}/qr gets no uuid ticketId to call with',
    issue: 11,
  },
  {
    spec: 'petstore3.yaml',
    frameworks: both,
    reason: 'not generated: mixed scoped/unscoped operations are refused (TENON_SCAFFOLD_PERMISSION_MISSING)',
    issue: 11,
  },
  {
    spec: 'resend.yaml',
    frameworks: both,
    reason: 'not generated: string ids without a format are refused (TENON_SCAFFOLD_SPEC_UNSUPPORTED)',
    issue: 11,
  },
  {
    spec: 'train-travel.yaml',
    frameworks: both,
    reason: 'not generated: the $ref inside x-topics is followed (TENON_SCAFFOLD_SPEC_NOT_FOUND)',
    issue: 11,
  },
  {
    spec: 'uspto.yaml',
    frameworks: both,
    reason: 'zero CRUD resources: the generated lint and hardening test fail',
    issue: 11,
  },
  {
    spec: 'repro/exmin.yaml',
    frameworks: both,
    reason:
      '3.0-style exclusiveMinimum: true in a 3.1 spec passes generation, then the app cannot compile its schema',
    issue: 11,
  },
  {
    spec: 'repro/rootsec.yaml',
    frameworks: both,
    reason: 'not generated: root-level security is ignored (TENON_SCAFFOLD_PERMISSION_MISSING)',
    issue: 11,
  },
  {
    spec: 'repro/shapes.yaml',
    frameworks: both,
    reason:
      'the oracle sees 0 violations; the list-only resource leaves an empty describe and unused helpers (lint, tests)',
    issue: 11,
  },
  {
    spec: 'repro/xref.yaml',
    frameworks: both,
    reason: 'not generated: the $ref inside an x- extension is followed (TENON_SCAFFOLD_SPEC_NOT_FOUND)',
    issue: 11,
  },
];

/** The pending entry of a row, if any. */
export function pendingFor(spec: string, framework: Framework): PendingEntry | undefined {
  return PENDING.find((p) => p.spec === spec && p.frameworks.includes(framework));
}

/** Everything that keeps a row from conforming (empty when it conforms). */
export function conformanceProblems(row: ConformanceRow): string[] {
  const problems: string[] = [];
  const g = row.generated;
  if (!g.ok) return [`not generated: ${g.error}`];
  if (g.notGenerated > 0) problems.push(`${g.notGenerated} operation(s) of the spec have no route`);
  if (row.install.status !== 'passed') problems.push(`install failed: ${row.install.tail}`);
  if (row.install.warnings.length) problems.push(`npm install warned: ${row.install.warnings.join(' ')}`);
  for (const step of ['lint', 'tests', 'build'] as const)
    if (row[step].status !== 'passed')
      problems.push(`${step} ${row[step].status}: ${row[step].tail?.slice(-600) ?? ''}`);
  for (const where of ['pglite', 'postgres'] as const) {
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
