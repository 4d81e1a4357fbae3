import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateProject } from '../../src/scaffold/generate.js';
import { schemaToTs } from '../../src/scaffold/ts-types.js';

const work = mkdtempSync(join(tmpdir(), 'tenon-closed-empty-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/**
 * Discourse's `{ type: object, additionalProperties: false, properties: {} }` (an object that may
 * hold nothing) was written as the TypeScript type `{ }`, which the generated project's ESLint
 * refuses (no-empty-object-type): `npm run lint` failed. It is `Record<string, never>`.
 */
describe('an object schema that allows no property', () => {
  it('is Record<string, never>; one that allows any stays Record<string, unknown>', () => {
    expect(schemaToTs({ type: 'object', additionalProperties: false, properties: {} }, '')).toBe(
      'Record<string, never>',
    );
    expect(schemaToTs({ type: 'object', properties: {} }, '')).toBe('Record<string, unknown>');
  });

  it('leaves no empty object type in the generated models and operations', async () => {
    const dir = join(work, 'app');
    await generateProject({
      mode: 'new',
      dir,
      from: resolve('test/scaffold/fixtures/closed-empty-object.yaml'),
      cwd: work,
    });
    for (const file of ['src/generated/models.ts', 'src/generated/operations.ts']) {
      const text = readFileSync(join(dir, file), 'utf8');
      // A type written `{ }` (a property or an alias): JSON schemas in the file may hold `{}`.
      expect(text, file).not.toMatch(/[:=]\s*\{\s*\};/);
    }
    expect(readFileSync(join(dir, 'src/generated/operations.ts'), 'utf8')).toContain('Record<string, never>');
  });
});
