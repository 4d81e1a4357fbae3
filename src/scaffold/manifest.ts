import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod';
import { TenonError } from '../core/errors.js';
import type { ApiModel } from './api-model.js';

/** Where tenon keeps its records inside a generated project. */
export const MANIFEST_PATH = '.tenon/manifest.json';
export const MODEL_PATH = '.tenon/model.json';

const fileEntrySchema = z.object({
  /** SHA-256 of the content tenon last generated for this path. */
  hash: z.string(),
  policy: z.enum(['generated', 'once', 'migration']),
});

/** `.tenon/manifest.json`: what tenon generated, from what, with which hashes. */
export const manifestSchema = z.object({
  tenon: z.string(),
  name: z.string(),
  framework: z.enum(['fastify', 'express']),
  input: z.discriminatedUnion('kind', [
    z.object({
      kind: z.literal('openapi'),
      /** The spec, relative to the project (where the user keeps and edits it). */
      from: z.string(),
      /**
       * A copy of the spec inside the project (`.tenon/spec/…`), kept when `from` is outside it, so
       * `tenon generate` works in a moved or cloned project where `from` is not there.
       */
      copy: z.string().optional(),
      /** Served with tenon's conventions (`--conventions`) instead of the spec's own paths and answers. */
      conventions: z.boolean().optional(),
    }),
    z.object({ kind: z.literal('resources'), resources: z.string() }),
  ]),
  /** Resources added with `tenon generate resource`, kept across regenerations. */
  extraResources: z.string().optional(),
  templates: z.string().optional(),
  files: z.record(z.string(), fileEntrySchema),
});

/** The parsed manifest. */
export type Manifest = z.output<typeof manifestSchema>;

/** SHA-256 (hex) of a file's content. */
export function contentHash(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

/** Reads the manifest of a project, or undefined when there is none. */
export function readManifest(dir: string): Manifest | undefined {
  const path = join(dir, MANIFEST_PATH);
  if (!existsSync(path)) return undefined;
  try {
    return manifestSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
  } catch (cause) {
    throw new TenonError('TENON_SCAFFOLD_NOT_A_PROJECT', `${path} is not a valid tenon manifest.`, {
      cause,
      hint: 'Restore it from version control; tenon needs it to know which files it may rewrite.',
    });
  }
}

/** The model of the previous generation (for migrations), or undefined. */
export function readPreviousModel(dir: string): ApiModel | undefined {
  const path = join(dir, MODEL_PATH);
  if (!existsSync(path)) return undefined;
  return JSON.parse(readFileSync(path, 'utf8')) as ApiModel;
}

/** Stable JSON: the same manifest is always written byte for byte the same. */
export function stableJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
