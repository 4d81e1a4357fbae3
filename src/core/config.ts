import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type * as z from 'zod';
import { TenonError } from './errors.js';
import { yaml } from './lazy-yaml.js';

/**
 * Reading and merging configuration, independent of what the settings are:
 * the config file, the environment, precedence, and errors that say where a
 * bad value came from. The schema of `tenon.config.*` itself is composed from
 * the parts' sections above the parts, in `src/config/tenon-config.ts`.
 */

/** The sections of a config file: section name → the schema of its object. */
export type ConfigSections = Readonly<Record<string, z.ZodObject>>;

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
    values = path.endsWith('.json') ? JSON.parse(text) : yaml().parse(text);
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
        hint: 'Write an object of settings, e.g. { "migrate": { "dir": "db/migrations" } }; docs/cli.md lists them.',
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
export function envConfigLayer(
  env: Readonly<Record<string, string | undefined>>,
  sections: ConfigSections,
): ConfigLayer {
  const values: Record<string, unknown> = {};
  const labels: Record<string, string> = {};
  if (env.DATABASE_URL) {
    values.databaseUrl = env.DATABASE_URL;
    labels.databaseUrl = 'environment variable DATABASE_URL';
  }
  for (const [section, schema] of Object.entries(sections)) {
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
 * and validates the result against `schema`, whose object-valued keys are
 * `sections`.
 *
 * @throws TenonError `TENON_CONFIG_INVALID` naming every bad key, where it came from and what is allowed.
 */
export function mergeConfigLayers<S extends z.ZodObject>(
  schema: S,
  sections: ConfigSections,
  layers: readonly ConfigLayer[],
): z.output<S> {
  const merged: Record<string, unknown> = {};
  const provenance = new Map<string, string>();
  for (const layer of layers) mergeInto(merged, layer.values, layer, provenance);
  const result = schema.safeParse(merged);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [undefined];
    return keys
      .map((extra) => {
        const path = [...issue.path.map(String), ...(extra ? [extra] : [])].join('.');
        const origin = provenance.get(path) ?? provenance.get(issue.path.map(String).join('.'));
        const where = origin ? ` (from ${origin})` : '';
        const what = extra
          ? `unknown key; allowed: ${allowedKeys(schema, sections, issue.path.map(String)).join(', ')}`
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

function allowedKeys(schema: z.ZodObject, sections: ConfigSections, path: string[]): string[] {
  if (path.length === 0) return Object.keys(schema.shape);
  const section = sections[path[0]!];
  return section ? Object.keys(section.shape) : [];
}
