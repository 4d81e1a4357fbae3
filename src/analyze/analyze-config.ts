import { z } from 'zod';

/**
 * Settings of `tenon analyze` in the config file (section `analyze`) and the
 * `TENON_ANALYZE_*` environment variables.
 */
export const analyzeConfigSchema = z.strictObject({});

/** Resolved `analyze` settings. */
export type AnalyzeConfig = z.output<typeof analyzeConfigSchema>;
