import { existsSync, readFileSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as z from 'zod';
import { TenonError } from '../../core/errors.js';
import { yaml } from '../../core/lazy-yaml.js';
import { Feeder } from './feeder.js';
import { parseCsv } from './parse-csv.js';
import { type Scenario, scenarioSchema } from './scenario-schema.js';

/** A validated scenario with its data loaded, ready to run. */
export interface LoadedScenario {
  /** Absolute path of the file (or `<inline>`). */
  file: string;
  scenario: Scenario;
  feeders: Feeder[];
}

/** `flows[0].steps[1].url` for an issue path. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : `${out ? '.' : ''}${String(part)}`;
  return out || '(top level)';
}

function hintFor(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys')
    return `Remove or rename ${issue.keys.map((k) => `"${k}"`).join(', ')}; docs/load.md#scenarios lists the keys.`;
  if (issue.code === 'invalid_type' && issue.input === undefined) return 'This key is required.';
  return 'See docs/load.md#scenarios for the keys of a scenario and their values.';
}

/**
 * Validates a scenario object (what a file exports or parses to).
 *
 * @throws TenonError `TENON_LOAD_SCENARIO_INVALID` naming the file and the path of the first bad key.
 */
export function parseScenario(value: unknown, file = '<inline>'): Scenario {
  const parsed = scenarioSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const path = formatIssuePath(issue.path);
  const where =
    issue.code === 'unrecognized_keys' && issue.keys.length > 0
      ? `${path === '(top level)' ? '' : `${path}.`}${issue.keys[0]}`
      : path;
  throw new TenonError('TENON_LOAD_SCENARIO_INVALID', `${file}: ${where}: ${issue.message}`, {
    hint: hintFor(issue),
    details: { file, path: where, issues: parsed.error.issues.length },
  });
}

async function importModule(file: string): Promise<unknown> {
  const ext = extname(file);
  if (ext === '.ts' || ext === '.mts' || ext === '.cts') {
    // tsx compiles the module on the fly, so a scenario needs no build step.
    const { tsImport } = await import('tsx/esm/api');
    return tsImport(pathToFileURL(file).href, import.meta.url);
  }
  return import(pathToFileURL(file).href);
}

async function readScenarioValue(file: string): Promise<unknown> {
  const ext = extname(file).toLowerCase();
  if (['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'].includes(ext)) {
    const module = (await importModule(file)) as { default?: unknown };
    let value = module.default;
    // tsx's CommonJS interop can wrap the default export once more.
    if (value && typeof value === 'object' && 'default' in value && !('flows' in value))
      value = (value as { default: unknown }).default;
    if (value === undefined) {
      throw new TenonError('TENON_LOAD_SCENARIO_UNREADABLE', `${file} has no default export.`, {
        hint: 'Write `export default defineScenario({ … })` (defineScenario comes from tenon/load).',
        details: { file },
      });
    }
    return value;
  }
  const text = readFileSync(file, 'utf8');
  if (ext === '.json') return JSON.parse(text);
  if (ext === '.yaml' || ext === '.yml') return yaml().parse(text);
  throw new TenonError('TENON_LOAD_SCENARIO_UNREADABLE', `${file}: unknown scenario file type "${ext}".`, {
    hint: 'Name the file .ts, .js, .mjs, .yaml, .yml or .json.',
    details: { file },
  });
}

function loadRows(name: string, path: string, scenarioFile: string): Record<string, unknown>[] {
  const fail = (why: string, cause?: unknown) =>
    new TenonError('TENON_LOAD_FEEDER_INVALID', `${scenarioFile}: data.${name}: ${path}: ${why}`, {
      cause,
      hint: 'A CSV file needs a header line and at least one row; a JSON file an array of objects.',
      details: { file: scenarioFile, path: `data.${name}.file`, dataFile: path },
    });
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw fail(`cannot read it (${(cause as NodeJS.ErrnoException).code ?? 'error'})`, cause);
  }
  let rows: unknown;
  try {
    rows = extname(path).toLowerCase() === '.json' ? JSON.parse(text) : parseCsv(text);
  } catch (cause) {
    throw fail((cause as Error).message, cause);
  }
  if (!Array.isArray(rows) || rows.some((r) => r === null || typeof r !== 'object' || Array.isArray(r)))
    throw fail('not an array of objects');
  if (rows.length === 0) throw fail('no rows');
  return rows as Record<string, unknown>[];
}

/** Builds the feeders of a validated scenario; data files are relative to `baseDir`. */
export function createFeeders(scenario: Scenario, baseDir: string, file: string): Feeder[] {
  return Object.entries(scenario.data ?? {}).map(([name, spec]) => {
    const rows = spec.rows ?? loadRows(name, resolve(baseDir, spec.file!), file);
    return new Feeder(name, rows, spec.order, spec.scope);
  });
}

/**
 * Reads a scenario file — a TypeScript or JavaScript module whose default
 * export is the scenario (typed with `defineScenario`), or YAML/JSON —,
 * validates it and loads its data files.
 *
 * @throws TenonError `TENON_LOAD_SCENARIO_UNREADABLE`, `TENON_LOAD_SCENARIO_INVALID`, `TENON_LOAD_FEEDER_INVALID`
 */
export async function loadScenarioFile(path: string): Promise<LoadedScenario> {
  const file = resolve(path);
  if (!existsSync(file)) {
    throw new TenonError('TENON_LOAD_SCENARIO_UNREADABLE', `${file}: no such file`, {
      hint: 'Check the path; it is relative to the working directory.',
      details: { file },
    });
  }
  let value: unknown;
  try {
    value = await readScenarioValue(file);
  } catch (cause) {
    if (cause instanceof TenonError) throw cause;
    throw new TenonError('TENON_LOAD_SCENARIO_UNREADABLE', `${file}: ${(cause as Error).message}`, {
      cause,
      hint: 'Check the syntax of the file (and the modules it imports).',
      details: { file },
    });
  }
  const scenario = parseScenario(value, file);
  return { file, scenario, feeders: createFeeders(scenario, dirname(file), file) };
}
