import * as z from 'zod';
import { analyzeConfigSchema } from '../analyze/analyze-config.js';
import { type ConfigLayer, envConfigLayer, mergeConfigLayers } from '../core/config.js';
import { loadConfigSchema } from '../load/load-config.js';
import { migrateConfigSchema } from '../migrate/migrate-config.js';
import { scaffoldConfigSchema } from '../scaffold/scaffold-config.js';

/*
 * The whole `tenon.config.*` schema, composed from the parts' sections. It
 * lives above the parts (core must not know them) and below the CLI and the
 * package entry, the two places that read a config file.
 */

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

/**
 * The config layer of the environment: `DATABASE_URL`, and
 * `TENON_<SECTION>_<KEY>` for every setting (e.g. `TENON_MIGRATE_LOCK_TIMEOUT=10s`).
 */
export function configFromEnv(env: Readonly<Record<string, string | undefined>>): ConfigLayer {
  return envConfigLayer(env, configSections);
}

/**
 * Merges config layers (lowest precedence first: file, environment, flags)
 * and validates the result against {@link tenonConfigSchema}.
 *
 * @throws TenonError `TENON_CONFIG_INVALID` naming every bad key, where it came from and what is allowed.
 */
export function resolveConfig(layers: readonly ConfigLayer[]): TenonConfig {
  return mergeConfigLayers(tenonConfigSchema, configSections, layers);
}
