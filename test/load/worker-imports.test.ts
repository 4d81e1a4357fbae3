import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

/**
 * The modules a file loads when it runs: its imports and re-exports, less
 * `import type` / `export type` (erased; with verbatimModuleSyntax an
 * `import { type A }` still loads its module, so it counts).
 */
function runtimeImports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022);
  const out: string[] = [];
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement)) {
      if (statement.importClause?.isTypeOnly) continue;
      out.push((statement.moduleSpecifier as ts.StringLiteral).text);
    } else if (ts.isExportDeclaration(statement) && statement.moduleSpecifier) {
      if (statement.isTypeOnly) continue;
      out.push((statement.moduleSpecifier as ts.StringLiteral).text);
    }
  }
  return out;
}

/** Every module (src files and packages) the load worker thread loads, from its entry. */
function workerGraph(): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    for (const spec of runtimeImports(file)) {
      if (spec.startsWith('.')) visit(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
      else if (!spec.startsWith('node:')) packages.add(spec);
    }
  };
  visit(join(SRC, 'load', 'load-worker.ts'));
  return { files, packages };
}

describe('the load worker thread', () => {
  // Each worker thread loads its modules anew: zod (~200 files with its locales) cost every
  // worker ~0.05 CPU-seconds at start, and it only validates options, which the main thread does.
  it('does not load zod or the option parsing', () => {
    const { files, packages } = workerGraph();
    expect([...packages].filter((p) => p.startsWith('zod'))).toEqual([]);
    const relative = [...files].map((f) => f.slice(SRC.length));
    expect(relative).toContain('load/load-engine.ts');
    expect(relative).not.toContain('core/duration.ts');
    expect(relative).not.toContain('load/load-options.ts');
  });

  // A worker records and encodes; percentiles and summaries are the main thread's.
  it('records and encodes histograms without loading their summaries', () => {
    const relative = [...workerGraph().files].map((f) => f.slice(SRC.length));
    expect(relative).toContain('load/histogram.ts');
    expect(relative).toContain('load/encoded-histogram.ts');
    expect(relative).not.toContain('load/histogram-summary.ts');
  });
});
