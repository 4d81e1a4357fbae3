import * as z from 'zod';
import { booleanSchema } from '../core/config-values.js';

/**
 * Settings of `tenon new` / `tenon generate` in the config file (section
 * `scaffold`) and the `TENON_SCAFFOLD_*` environment variables.
 */
export const scaffoldConfigSchema = z.strictObject({
  /** Framework of new projects. */
  framework: z.enum(['fastify', 'express']).default('fastify'),
  /** A folder whose files replace or add templates (same layout as tenon's templates/common). */
  templates: z.string().min(1).optional(),
  /** Run `npm install` after `tenon new`. */
  install: booleanSchema.default(true),
});

/** Resolved `scaffold` settings. */
export type ScaffoldConfig = z.output<typeof scaffoldConfigSchema>;
