import { existsSync, readdirSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FRAMEWORK_LEVEL_TESTS } from '../../scripts/conformance/run-conformance.js';

const templates = fileURLToPath(new URL('../../templates/', import.meta.url));
const generatedTests = (framework: string) => {
  const dir = `${templates}${framework}/test/generated`;
  return existsSync(dir) ? readdirSync(dir) : [];
};

// The corpus matrix passes FRAMEWORK_LEVEL_TESTS to the generated project's vitest as --exclude: a
// name that matches no file excludes nothing, silently, and the file runs once per spec again.
describe('the test files the corpus matrix runs once per framework', () => {
  it('each names a test file every generated project has', () => {
    const common = generatedTests('common');
    for (const file of FRAMEWORK_LEVEL_TESTS) {
      const name = basename(file);
      expect(file, file).toBe(`test/generated/${name}`);
      expect(
        common.filter((f) => f === name || f === `${name}.eta`),
        `${name} in templates/common/test/generated`,
      ).toHaveLength(1);
    }
  });

  it('includes the grant command, whose processes cost most of a corpus row’s tests', () => {
    expect(FRAMEWORK_LEVEL_TESTS).toContain('test/generated/grant-command.test.ts');
    // The spec's own grants (its roles, scopes and rules) still run per spec.
    expect(FRAMEWORK_LEVEL_TESTS).not.toContain('test/generated/grants.test.ts');
  });
});
