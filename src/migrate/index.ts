/** `tenon/migrate`: versioned SQL migrations. */
export { type MigrateConfig, migrateConfigSchema } from './migrate-config.js';
