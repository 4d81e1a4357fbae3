import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { lintRules } from '../../../src/migrate/lint/rules/index.js';
import { lintSarif } from '../../../src/migrate/lint/sarif.js';
import { lintFiles } from './support.js';

/*
 * The SARIF 2.1.0 JSON schema (rtm.5, the version GitHub code scanning and
 * SchemaStore use) comes from Microsoft's @microsoft/jest-sarif package (MIT),
 * a devDependency, so the test validates against the published schema
 * rather than a copy of it.
 */
const require = createRequire(import.meta.url);
const AjvDraft04 = require('ajv-draft-04') as typeof import('ajv-draft-04').default;
const addFormats = require('ajv-formats') as typeof import('ajv-formats').default;
const schema = JSON.parse(
  readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'),
) as object;

function validate(document: unknown): string[] {
  // The schema's `language` pattern is not a valid Unicode-mode regular expression.
  const ajv = new AjvDraft04({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  const check = ajv.compile(schema);
  return check(document) ? [] : (check.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

describe('lintSarif', () => {
  it('is valid SARIF 2.1.0, with findings, rules and parse errors', async () => {
    const result = await lintFiles({
      'migrations/20260101000001_a b.sql':
        'alter table users drop column legacy;\ncreate index on users (email);',
      'migrations/20260101000002_bad.sql': 'alter tabel users;',
    });
    const sarif = lintSarif(result, { toolVersion: '0.1.0', baseDir: '/srv/app' });
    expect(validate(sarif)).toEqual([]);
    const run = sarif.runs[0]!;
    expect(run.tool.driver.rules.map((r) => r.id)).toEqual(lintRules.map((r) => r.name));
    expect(run.results.map((r) => [r.ruleId, r.level, r.locations[0]!.physicalLocation.region])).toEqual([
      ['drop-column', 'warning', { startLine: 2, startColumn: 1 }],
      ['exclusive-lock-held', 'error', { startLine: 3, startColumn: 1 }],
      ['index-not-concurrent', 'warning', { startLine: 3, startColumn: 1 }],
    ]);
    expect(run.results[0]!.locations[0]!.physicalLocation.artifactLocation).toEqual({
      uri: 'migrations/20260101000001_a%20b.sql',
      uriBaseId: '%SRCROOT%',
    });
    expect(run.results[0]!.ruleIndex).toBe(lintRules.findIndex((r) => r.name === 'drop-column'));
    expect(run.originalUriBaseIds['%SRCROOT%'].uri).toBe('file:///srv/app/');
    expect(run.invocations[0]!.executionSuccessful).toBe(false);
    expect(run.invocations[0]!.toolExecutionNotifications[0]!.message.text).toMatch(
      /^TENON_SQL_PARSE_FAILED: /,
    );
  });

  it('the schema check is real: a broken document fails it', () => {
    expect(validate({ version: '2.1.0', runs: [{ tool: { driver: {} } }] }).length).toBeGreaterThan(0);
  });
});
