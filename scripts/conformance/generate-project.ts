import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { runCommand, tail } from './processes.js';
import type { ConformanceOptions, Framework, GeneratedSummary } from './run-conformance.js';
import type { Spec } from './spec-reader.js';

interface TenonReport {
  notImplemented?: unknown[];
  policy?: { rules?: unknown[] };
}

/**
 * Generates the project of one spec × framework with the built CLI (`tenon new --from`):
 * what it generated, or why it refused, from its JSON report.
 */
export async function generateProject(
  options: ConformanceOptions,
  spec: Spec,
  framework: Framework,
  dir: string,
): Promise<{ summary: GeneratedSummary; ms: number }> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dirname(dir), { recursive: true });
  const result = await runCommand(options.workDir, process.execPath, [
    join(options.tenonRoot, 'dist/cli/bin.js'),
    'new',
    dir,
    '--from',
    spec.file,
    '--framework',
    framework,
    '--no-install',
    '--json',
  ]);
  const specOperations = spec.operations.length;
  const webhooks = spec.webhooks.length;
  if (!result.ok) {
    // The CLI's error line: `error TENON_CODE: message`.
    const line = /^error (TENON_\w+): (.*)$/m.exec(result.output);
    const error = line ? `${line[1]}: ${line[2]}` : tail(result.output);
    return {
      summary: {
        ok: false,
        specOperations,
        crud: 0,
        custom: 0,
        notGenerated: specOperations,
        webhooks,
        error,
      },
      ms: result.ms,
    };
  }
  const report = JSON.parse(result.output.slice(result.output.indexOf('{'))) as TenonReport;
  const custom = report.notImplemented?.length ?? 0;
  const routes = report.policy?.rules?.length ?? 0;
  const crud = Math.max(0, routes - custom);
  return {
    summary: {
      ok: true,
      specOperations,
      crud,
      custom,
      notGenerated: Math.max(0, specOperations - crud - custom),
      webhooks,
    },
    ms: result.ms,
  };
}
