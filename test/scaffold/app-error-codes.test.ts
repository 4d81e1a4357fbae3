import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_ERROR_CODES } from '../../src/scaffold/app-error-codes.js';
import { enumCodeValue } from '../../src/scaffold/error-code-enum.js';

const TEMPLATES = join(import.meta.dirname, '../../templates');

/** Every file of the generated app's sources (not its tests): where the app raises its errors. */
function appSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.ts(\.eta)?$/.test(e.name))
    .map((e) => join(e.parentPath, e.name))
    .filter((file) => /\/src\//.test(file.slice(TEMPLATES.length)));
}

/** The codes the templates raise: `new AppError(status, 'CODE', …)` and the handlers' `[status]: ['CODE', message]` tables. */
function templateCodes(): Set<string> {
  const codes = new Set<string>();
  for (const file of appSources(TEMPLATES)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/AppError\(\s*\d{3},\s*'([A-Z_]+)'/g)) codes.add(m[1]!);
    for (const m of text.matchAll(/^\s*\d{3}: \['([A-Z_]+)',/gm)) codes.add(m[1]!);
  }
  return codes;
}

describe('APP_ERROR_CODES: the one list of the generated app’s error codes', () => {
  it('names exactly the codes the templates raise', () => {
    const raised = templateCodes();
    // The scan itself must find the codes (a template refactor that hides them fails here, not silently).
    expect(raised).toContain('VALIDATION_FAILED');
    expect(raised).toContain('PAYLOAD_TOO_LARGE');
    expect([...raised].sort()).toEqual(Object.keys(APP_ERROR_CODES).sort());
  });

  it('maps a spec’s code enum onto those codes', () => {
    const value = enumCodeValue(['blank', 'invalid', 'not_found', 'method_not_allowed', 'too_large']);
    expect(value).toMatchObject({
      byCode: {
        VALIDATION_FAILED: 'invalid',
        NOT_FOUND: 'not_found',
        METHOD_NOT_ALLOWED: 'method_not_allowed',
      },
      otherwise: 'blank',
    });
  });
});
