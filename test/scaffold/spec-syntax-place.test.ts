import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { TenonError } from '../../src/core/errors.js';
import { modelFromOpenApi } from '../../src/scaffold/from-openapi.js';
import { jsonPlace } from '../../src/scaffold/openapi-loader.js';

/**
 * A JSON spec with a syntax error: the hint says "the message gives the line", and JSON.parse's
 * message gave none ("Unexpected end of JSON input") or only an offset on Node 20.
 */
const dir = mkdtempSync(join(tmpdir(), 'tenon-spec-syntax-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function refusal(name: string, text: string): TenonError {
  writeFileSync(join(dir, name), text);
  try {
    modelFromOpenApi(name, dir);
  } catch (error) {
    return error as TenonError;
  }
  throw new Error('the spec was accepted');
}

describe('a spec that is not valid JSON', () => {
  it('names the line where the text ends early', () => {
    const error = refusal('cut.json', '{\n  "openapi": "3.0.0",\n  "info": {');
    expect(error.code).toBe('TENON_SCAFFOLD_SPEC_INVALID');
    expect(error.message).toMatch(/line 3\b/);
    expect(error.hint).toMatch(/gives the line/);
  });

  it('names the line and column of a stray character', () => {
    const error = refusal('stray.json', '{\n  "openapi": "3.0.0",\n  "info": }\n}');
    expect(error.message).toMatch(/\(line 3, column 11\)$/);
  });

  it('turns an offset into a line and column, and adds nothing where the message has its line', () => {
    const text = '{\n "a": 1,\n x}';
    expect(jsonPlace(text, new SyntaxError('Unexpected token x in JSON at position 12'))).toBe(
      ' (line 3, column 2)',
    );
    expect(jsonPlace(text, new SyntaxError('Unexpected end of JSON input'))).toBe(' (line 3, column 4)');
    expect(jsonPlace(text, new SyntaxError("Unexpected token 'x', ... is not valid JSON"))).toBe(
      ' (line 3, column 2)',
    );
    expect(
      jsonPlace(text, new SyntaxError("Unexpected token 'x', ... is not valid JSON (line 3 column 2)")),
    ).toBe('');
    expect(jsonPlace(text, new Error('other'))).toBe('');
  });
});
