import { pathToFileURL } from 'node:url';
import type { LintFinding, LintResult } from './lint-migrations.js';
import type { LintRule, Severity } from './lint-rule.js';
import { lintRules } from './rules/index.js';

/** SARIF's result levels for tenon's severities. */
function level(severity: Severity): 'error' | 'warning' | 'note' {
  return severity === 'info' ? 'note' : severity;
}

/** `add-column-rewrite` → `AddColumnRewrite` (SARIF's `name` is meant to be an identifier). */
function pascal(name: string): string {
  return name.replace(/(^|-)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());
}

/** A relative path as a URI reference: forward slashes, each segment percent-encoded. */
function uriOf(file: string): string {
  return file.split(/[\\/]/).map(encodeURIComponent).join('/');
}

/** What {@link lintSarif} needs besides the result. */
export interface SarifOptions {
  /** tenon's version. */
  toolVersion: string;
  /** The directory file paths are relative to (the repository root, for GitHub code scanning). */
  baseDir: string;
  rules?: readonly LintRule[];
}

/**
 * The lint result as a SARIF 2.1.0 log, the format GitHub code scanning
 * uploads (`github/codeql-action/upload-sarif`): one run, the rules in
 * `tool.driver.rules`, each finding a result at its file, line and column
 * with the fix in the message, and files that could not be parsed as tool
 * execution notifications.
 */
export function lintSarif(result: LintResult, options: SarifOptions) {
  const rules = options.rules ?? lintRules;
  const index = new Map(rules.map((r, i) => [r.name, i]));
  const result_ = (f: LintFinding) => ({
    ruleId: f.rule,
    ruleIndex: index.get(f.rule) ?? -1,
    level: level(f.severity),
    message: { text: `${f.message}\nFix: ${f.fix}${f.tableFacts ? `\n(${f.tableFacts})` : ''}` },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: uriOf(f.file), uriBaseId: '%SRCROOT%' },
          region: { startLine: f.line, startColumn: f.column },
        },
      },
    ],
    partialFingerprints: { 'tenonStatement/v1': f.fingerprint },
    properties: { section: f.section, statement: f.statement, ...(f.table ? { table: f.table } : {}) },
  });
  const base = pathToFileURL(options.baseDir).href;
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0' as const,
    runs: [
      {
        tool: {
          driver: {
            name: 'tenon',
            semanticVersion: options.toolVersion,
            rules: rules.map((r) => ({
              id: r.name,
              name: pascal(r.name),
              shortDescription: { text: r.summary },
              help: { text: `docs/migrate.md#${r.name}` },
              defaultConfiguration: { level: level(r.defaultSeverity) },
              properties: {
                effect: r.effect,
                squawk: [...r.counterparts.squawk],
                strongMigrations: [...r.counterparts.strongMigrations],
              },
            })),
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: base.endsWith('/') ? base : `${base}/` } },
        invocations: [
          {
            executionSuccessful: result.errors.length === 0,
            toolExecutionNotifications: result.errors.map((e) => ({
              level: 'error' as const,
              message: { text: `${e.code}: ${e.message}` },
              locations: [
                {
                  physicalLocation: {
                    artifactLocation: { uri: uriOf(e.file), uriBaseId: '%SRCROOT%' },
                    ...(e.line
                      ? { region: { startLine: e.line, ...(e.column ? { startColumn: e.column } : {}) } }
                      : {}),
                  },
                },
              ],
            })),
          },
        ],
        results: result.findings.map(result_),
      },
    ],
  };
}
