import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { analyzeConfigSchema } from '../analyze/analyze-config.js';
import { loadConfigSchema } from '../load/load-config.js';
import { migrateConfigSchema } from '../migrate/migrate-config.js';
import { scaffoldConfigSchema } from '../scaffold/scaffold-config.js';
import { TenonError } from './errors.js';

/** The sections of the config file, one per part; each part owns its schema. */
export const configSections = {
  migrate: migrateConfigSchema,
  load: loadConfigSchema,
  analyze: analyzeConfigSchema,
  scaffold: scaffoldConfigSchema,
} as const;

/**
 * The schema of `tenon.config.json|yaml`, which is also the shape every
 * command resolves its options into. Unknown keys are errors.
 */
export const tenonConfigSchema = z.strictObject({
  /** `postgres://…` for a server, `pglite://DIR` or `pglite://memory` for the embedded database. */
  databaseUrl: z.string().min(1).optional(),
  migrate: migrateConfigSchema.prefault({}),
  load: loadConfigSchema.prefault({}),
  analyze: analyzeConfigSchema.prefault({}),
  scaffold: scaffoldConfigSchema.prefault({}),
});

/** The fully resolved configuration, defaults applied. */
export type TenonConfig = z.output<typeof tenonConfigSchema>;

/** File names looked for in the working directory when `--config` is not given. */
export const CONFIG_FILE_NAMES = ['tenon.config.json', 'tenon.config.yaml', 'tenon.config.yml'] as const;

/** One source of config values. Later layers override earlier ones. */
export interface ConfigLayer {
  /** Where the values came from, for error messages: `tenon.config.yaml`, `environment`, `flags`. */
  readonly source: string;
  readonly values: Record<string, unknown>;
  /** A more precise label per dotted key, e.g. `{ 'migrate.lockTimeout': '--lock-timeout' }`. */
  readonly labels?: Readonly<Record<string, string>>;
}

/** A config file that was found and parsed. */
export interface LoadedConfigFile {
  readonly path: string;
  readonly values: Record<string, unknown>;
}

/**
 * Finds and parses the config file: `explicitPath` when given (it must
 * exist), otherwise the first of {@link CONFIG_FILE_NAMES} in `cwd`.
 *
 * @returns `undefined` when no file was given and none exists.
 * @throws TenonError `TENON_CONFIG_NOT_FOUND`, `TENON_CONFIG_PARSE_FAILED`
 */
export function loadConfigFile(cwd: string, explicitPath?: string): LoadedConfigFile | undefined {
  let path: string | undefined;
  if (explicitPath) {
    path = resolve(cwd, explicitPath);
    if (!existsSync(path)) {
      throw new TenonError('TENON_CONFIG_NOT_FOUND', `Config file ${path} does not exist.`, {
        hint: 'Check the path given with --config (or TENON_CONFIG).',
      });
    }
  } else {
    path = CONFIG_FILE_NAMES.map((name) => resolve(cwd, name)).find((candidate) => existsSync(candidate));
    if (!path) return undefined;
  }
  const text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
  let values: unknown;
  try {
    values = path.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new TenonError('TENON_CONFIG_PARSE_FAILED', `${path}: ${(error as Error).message}`, {
      cause: error,
      hint: path.endsWith('.json') ? 'The file must be valid JSON.' : 'The file must be valid YAML.',
    });
  }
  if (values === null || values === undefined) values = {};
  if (typeof values !== 'object' || Array.isArray(values)) {
    throw new TenonError(
      'TENON_CONFIG_PARSE_FAILED',
      `${path}: the top level must be an object of settings.`,
      {
        hint: `Allowed top-level keys: ${Object.keys(tenonConfigSchema.shape).join(', ')}.`,
      },
    );
  }
  return { path, values: values as Record<string, unknown> };
}

/** `lockTimeout` → `LOCK_TIMEOUT`. */
function toEnvSuffix(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

/**
 * Reads config values from the environment: `DATABASE_URL`, and
 * `TENON_<SECTION>_<KEY>` for every key of every section (for example
 * `TENON_MIGRATE_LOCK_TIMEOUT=10s`). Empty variables are ignored.
 */
export function configFromEnv(env: Readonly<Record<string, string | undefined>>): ConfigLayer {
  const values: Record<string, unknown> = {};
  const labels: Record<string, string> = {};
  if (env.DATABASE_URL) {
    values.databaseUrl = env.DATABASE_URL;
    labels.databaseUrl = 'environment variable DATABASE_URL';
  }
  for (const [section, schema] of Object.entries(configSections)) {
    for (const key of Object.keys(schema.shape)) {
      const name = `TENON_${toEnvSuffix(section)}_${toEnvSuffix(key)}`;
      const value = env[name];
      if (value === undefined || value === '') continue;
      const sectionValues = (values[section] ?? {}) as Record<string, unknown>;
      sectionValues[key] = value;
      values[section] = sectionValues;
      labels[`${section}.${key}`] = `environment variable ${name}`;
    }
  }
  return { source: 'environment', values, labels };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function mergeInto(
  target: Record<string, unknown>,
  source: Record<string, unknown>,
  layer: ConfigLayer,
  provenance: Map<string, string>,
  prefix = '',
): void {
  for (const [key, value] of Object.entries(source)) {
    if (value === undefined) continue;
    const path = prefix ? `${prefix}.${key}` : key;
    if (isPlainObject(value)) {
      if (!isPlainObject(target[key])) target[key] = {};
      mergeInto(target[key] as Record<string, unknown>, value, layer, provenance, path);
      continue;
    }
    target[key] = value;
    provenance.set(path, layer.labels?.[path] ?? layer.source);
  }
}

/**
 * Merges config layers (lowest precedence first: file, environment, flags)
 * and validates the result against {@link tenonConfigSchema}.
 *
 * @throws TenonError `TENON_CONFIG_INVALID` naming every bad key, where it came from and what is allowed.
 */
export function resolveConfig(layers: readonly ConfigLayer[]): TenonConfig {
  const merged: Record<string, unknown> = {};
  const provenance = new Map<string, string>();
  for (const layer of layers) mergeInto(merged, layer.values, layer, provenance);
  const result = tenonConfigSchema.safeParse(merged);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [undefined];
    return keys
      .map((extra) => {
        const path = [...issue.path.map(String), ...(extra ? [extra] : [])].join('.');
        const origin = provenance.get(path) ?? provenance.get(issue.path.map(String).join('.'));
        const where = origin ? ` (from ${origin})` : '';
        const what = extra
          ? `unknown key; allowed: ${allowedKeys(issue.path.map(String)).join(', ')}`
          : issue.message;
        return `${path || '(root)'}${where}: ${what}`;
      })
      .join('\n');
  });
  throw new TenonError('TENON_CONFIG_INVALID', `Invalid configuration:\n${problems.join('\n')}`, {
    cause: result.error,
    hint: 'Fix the values named above; docs/cli.md lists every setting.',
    details: { issues: result.error.issues },
  });
}

function allowedKeys(path: string[]): string[] {
  if (path.length === 0) return Object.keys(tenonConfigSchema.shape);
  const section = configSections[path[0] as keyof typeof configSections];
  return section ? Object.keys(section.shape) : [];
}
