import { z } from 'zod';

/**
 * Settings of `tenon load` in the config file (section `load`) and the
 * `TENON_LOAD_*` environment variables.
 */
export const loadConfigSchema = z.strictObject({});

/** Resolved `load` settings. */
export type LoadConfig = z.output<typeof loadConfigSchema>;
