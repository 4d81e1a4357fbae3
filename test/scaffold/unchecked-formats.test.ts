import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { modelFromOpenApi } from '../../src/scaffold/from-openapi.js';
import { generateProject } from '../../src/scaffold/generate.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

/**
 * train-travel's `format: iso-country-code` is a format of its own: the generated validation
 * (ajv-formats) does not know it, so any string passes, and ajv printed "unknown format … ignored"
 * to the console at every start of the app. The report says so once per format, at generation.
 */
describe('modelFromOpenApi: formats the generated validation does not check', () => {
  const { warnings } = modelFromOpenApi('unknown-formats.yaml', fixtures);
  const unchecked = warnings.filter((w) => w.code === 'format-not-checked');

  it('warns once per unknown format, at its first place, with a hint', () => {
    expect(unchecked.map((w) => w.at)).toEqual([
      'unknown-formats.yaml#/paths/~1stations/get/parameters/0/schema/format',
      'unknown-formats.yaml#/components/schemas/Station/properties/name/format',
    ]);
    expect(unchecked[0]!.message).toBe(
      'the format "iso-country-code" is not one the generated validation knows: it is an annotation, and any string passes it.',
    );
    expect(unchecked[1]!.message).toMatch(/"email-ish"/);
    expect(unchecked[0]!.hint).toMatch(/pattern/);
  });

  it('leaves known formats, a property named format, and values alone', () => {
    expect(unchecked.map((w) => w.message).join('\n')).not.toMatch(/"(date|date-time|int32)"/);
  });
});

/**
 * A spec split into files: the formats of a parameter, a request body (and a schema it refers to
 * in its own file) and a schema held in other files are as unchecked as the root's, and were not
 * reported (only the root document was read).
 */
describe('modelFromOpenApi: formats of parameters, bodies and schemas in other files', () => {
  const { warnings } = modelFromOpenApi('formats-in-files/openapi.yaml', fixtures);
  const unchecked = warnings.filter((w) => w.code === 'format-not-checked');

  it('warns for each, at its place in its own file', () => {
    expect(unchecked.map((w) => w.at).sort()).toEqual([
      'bodies.yaml#/Mood/format',
      'note.yaml#/properties/text/format',
      'parameters.yaml#/Region/schema/format',
    ]);
  });
});

/**
 * The generated validation registered unknown formats by walking every schema it compiled, at
 * start-up (and at every compile). tenon knows the schemas: it writes the list into the project
 * (src/generated/formats.ts) and the validation registers that list once.
 */
describe('generateProject: the formats the generated validation does not know', () => {
  const work = mkdtempSync(join(tmpdir(), 'tenon-formats-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('are listed in src/generated/formats.ts, and the validation walks no schema', async () => {
    await generateProject({
      mode: 'new',
      dir: 'app',
      from: join(fixtures, 'unknown-formats.yaml'),
      cwd: work,
      now: new Date('2026-01-01'),
    });
    const formats = readFileSync(join(work, 'app/src/generated/formats.ts'), 'utf8');
    expect(formats).toContain(
      'export const UNCHECKED_FORMATS: readonly string[] = [\n  "email-ish",\n  "iso-country-code"\n];',
    );
    const validation = readFileSync(join(work, 'app/src/http/validation.ts'), 'utf8');
    expect(validation).toContain('for (const format of UNCHECKED_FORMATS)');
    expect(validation).not.toMatch(/Object\.entries\(schema\)/);
  });
});
