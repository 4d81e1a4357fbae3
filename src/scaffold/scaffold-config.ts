import { z } from 'zod';

/**
 * Settings of `tenon scaffold` in the config file (section `scaffold`) and the
 * `TENON_SCAFFOLD_*` environment variables.
 */
export const scaffoldConfigSchema = z.strictObject({});

/** Resolved `scaffold` settings. */
export type ScaffoldConfig = z.output<typeof scaffoldConfigSchema>;
