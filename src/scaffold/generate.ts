import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import * as z from 'zod';
import { TenonError } from '../core/errors.js';
import { migrationFileName, renderMigrationFile } from '../core/migration/migration-file.js';
import { type AccessPolicy, accessPolicy } from './access-policy.js';
import type { ApiModel, ModelWarning, ServingModel } from './api-model.js';
import { AUTH_SCHEMA_VERSION } from './auth-sql.js';
import { loadModel } from './load-model.js';
import {
  MANIFEST_PATH,
  type Manifest,
  MODEL_PATH,
  readManifest,
  readPreviousModel,
  stableJson,
} from './manifest.js';
import { diffModels, isEmptyDiff } from './migration-diff.js';
import { initialMigration } from './migration-sql.js';
import { latestMigrationVersion, nextVersion } from './migration-version.js';
import { authRouteClaims, authRouteWarnings } from './own-auth-routes.js';
import { projectView } from './project-view.js';
import {
  collectTemplates,
  type Framework,
  isOnceTemplate,
  outputPath,
  type RenderedFile,
  renderTemplate,
} from './render.js';
import { copySpecIntoProject, isInsideProject, SPEC_COPY_DIR } from './spec-copy.js';
import { applyPlan, type PlannedFile, planWrites } from './write-plan.js';

/** The version of the first migration: fixed, so generating twice gives identical files. */
export const INITIAL_MIGRATION_VERSION = '20000101000000';

/** Options of {@link generateProject}. */
export const generateOptionsSchema = z.strictObject({
  /** `new` creates a project; `generate` regenerates one that has a manifest. */
  mode: z.enum(['new', 'generate']),
  /** The project directory (relative to `cwd`). */
  dir: z.string().min(1),
  /** OpenAPI spec file (relative to `cwd`). */
  from: z.string().min(1).optional(),
  /** Resource DSL text (replaces the resources of a DSL project). */
  resources: z.string().min(1).optional(),
  /** Resource DSL text added to the project (`tenon generate resource`). */
  addResources: z.string().min(1).optional(),
  framework: z.enum(['fastify', 'express']).optional(),
  /** Package name; default: the directory name. */
  name: z.string().min(1).optional(),
  /**
   * OpenAPI projects: serve tenon's conventions (`/api/v1` prefix, the envelope) instead of the spec's own
   * paths and answers. `generate` keeps the project's choice unless given.
   */
  conventions: z.boolean().optional(),
  /** A folder whose files replace or add templates. */
  templates: z.string().min(1).optional(),
  /** Write into a non-empty directory (`new`); files tenon did not write still get `.tenon-new` beside them. */
  force: z.boolean().default(false),
  /** Plan only; write nothing. */
  dryRun: z.boolean().default(false),
  cwd: z.string().default(() => process.cwd()),
  /** Clock for the version of new migrations. */
  now: z.date().optional(),
  /** Progress: the model is built, the files are rendered. */
  onEvent: z.custom<(event: GenerateEvent) => void>((v) => typeof v === 'function').optional(),
});

/** Input of {@link generateProject}. */
export type GenerateOptions = z.input<typeof generateOptionsSchema>;

/** An operation routed to a handler that answers 501 until the user writes it. */
export interface NotImplementedOperation {
  operationId: string;
  method: string;
  route: string;
  file: string;
}

/** What {@link generateProject} did (or would do, with `dryRun`). */
export interface GenerateResult {
  dir: string;
  name: string;
  framework: Framework;
  dryRun: boolean;
  resources: string[];
  files: PlannedFile[];
  /** Migrations written by this run. */
  migrations: string[];
  notImplemented: NotImplementedOperation[];
  warnings: ModelWarning[];
  /** Who may call each operation (printed in the report). */
  policy: AccessPolicy;
  /** How the API is served: the spec's own paths, answers and error schema, or tenon's conventions. */
  serving: ServingModel;
}

/** A progress event of {@link generateProject}. */
export type GenerateEvent =
  /** `operations`: all of them, CRUD and not; `handlers`: those that are not CRUD (a handler of their own). */
  | { type: 'model-built'; resources: number; operations: number; handlers: number }
  | { type: 'files-rendered'; files: number };

function packageName(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, '-')
      .replace(/^[-._]+|[-._]+$/g, '')
      .slice(0, 214) || 'api'
  );
}

function renderProject(
  view: ReturnType<typeof projectView>,
  framework: Framework,
  templates: string | undefined,
): RenderedFile[] {
  const files: RenderedFile[] = [];
  for (const source of collectTemplates(framework, templates)) {
    const policy = isOnceTemplate(source.path) ? 'once' : 'generated';
    const template = `${source.layer}/${source.path}`;
    const emit = (path: string, data: object) => {
      const content = renderTemplate(source, data);
      if (content !== '') files.push({ path, content, policy, template });
    };
    if (source.path.includes('__resource__')) {
      for (const resource of view.resources)
        emit(outputPath(source.path, { resource: resource.kebab }), { ...view, resource });
    } else if (source.path.includes('__operation__')) {
      for (const operation of view.operations)
        emit(outputPath(source.path, { operation: operation.file }), { ...view, operation });
    } else {
      emit(outputPath(source.path), view);
    }
  }
  return files;
}

/**
 * Generates (or regenerates) a project: builds the model from the spec or
 * the resource DSL, renders every template, adds a migration for what
 * changed since the last generation, and writes files according to the
 * write plan, which never overwrites a file the user edited or owns.
 *
 * @example
 * ```ts
 * const result = await generateProject({ mode: 'new', dir: 'shop', from: 'openapi.yaml' });
 * for (const f of result.files) console.log(f.action, f.path);
 * ```
 * @throws TenonError `TENON_SCAFFOLD_*` for bad input, a non-empty target or a missing manifest.
 */
export async function generateProject(input: GenerateOptions): Promise<GenerateResult> {
  const options = generateOptionsSchema.parse(input);
  const onEvent = options.onEvent ?? (() => undefined);
  const dir = resolve(options.cwd, options.dir);
  const previous = readManifest(dir);
  if (options.mode === 'new') {
    if (existsSync(dir) && readdirSync(dir).length > 0 && !options.force) {
      throw new TenonError(
        'TENON_SCAFFOLD_TARGET_NOT_EMPTY',
        `${relative(options.cwd, dir) || dir} exists and is not empty.`,
        {
          hint: 'Choose a new directory, or pass --force: files tenon did not write are never overwritten (the generated version goes beside them as .tenon-new).',
          details: { dir },
        },
      );
    }
  } else if (!previous) {
    throw new TenonError(
      'TENON_SCAFFOLD_NOT_A_PROJECT',
      `${dir} has no ${MANIFEST_PATH}: it was not generated by tenon.`,
      {
        hint: 'Run tenon generate in the project directory, or create a project with tenon new.',
      },
    );
  }
  if (options.from && options.resources) {
    throw new TenonError('TENON_CLI_USAGE', 'Give either --from or --resources, not both.');
  }
  let manifestInput: Manifest['input'];
  let inputCwd = options.cwd;
  const conventions =
    options.conventions ?? (previous?.input.kind === 'openapi' && previous.input.conventions === true);
  if (options.from)
    manifestInput = {
      kind: 'openapi',
      from: relative(dir, resolve(options.cwd, options.from)) || options.from,
      ...(conventions ? { conventions } : {}),
    };
  else if (options.resources) manifestInput = { kind: 'resources', resources: options.resources };
  else if (previous) {
    manifestInput = previous.input;
    if (manifestInput.kind === 'openapi') {
      const { conventions: _previous, ...rest } = manifestInput;
      void _previous;
      manifestInput = { ...rest, ...(conventions ? { conventions } : {}) };
    }
    inputCwd = dir;
  } else {
    throw new TenonError(
      'TENON_SCAFFOLD_NO_INPUT',
      'Nothing to generate from: give --from SPEC or --resources TEXT.',
      {
        hint: "e.g. tenon new shop --from openapi.yaml, or tenon new blog --resources 'Post(title:string)'",
      },
    );
  }
  // Paths in the manifest are relative to the project; resolve the spec from there.
  let specInput = manifestInput;
  const movedWarnings: ModelWarning[] = [];
  if (manifestInput.kind === 'openapi') {
    inputCwd = dir;
    const copy = manifestInput.copy;
    const recordedGone = !options.from && !existsSync(resolve(dir, manifestInput.from));
    if (recordedGone && !(copy && existsSync(resolve(dir, copy)))) {
      // Neither the spec nor its copy: "cannot read <absolute path>" would not say what to do.
      throw new TenonError(
        'TENON_SCAFFOLD_SPEC_NOT_FOUND',
        `The spec this project was generated from, ${manifestInput.from} (${MANIFEST_PATH}), is not there${copy ? `, nor its copy ${copy}` : ''}.`,
        {
          hint: 'Pass --from with the place of the spec now; commit .tenon/spec/ with the project, so that a clone regenerates from the copy.',
        },
      );
    }
    if (recordedGone && copy) {
      // The project was moved or cloned without the spec beside it: the copy of the last generation stands in.
      specInput = { kind: 'openapi', from: copy, ...(conventions ? { conventions } : {}) };
      movedWarnings.push({
        at: MANIFEST_PATH,
        message: `the spec ${manifestInput.from} is not there (was the project moved or cloned?); regenerated from its copy ${copy}. Pass --from to use the spec at its new place.`,
      });
    }
  }
  const framework: Framework = options.framework ?? previous?.framework ?? 'fastify';
  if (previous && options.framework && options.framework !== previous.framework) {
    throw new TenonError(
      'TENON_CLI_USAGE',
      `This project is a ${previous.framework} project; --framework ${options.framework} cannot change that.`,
      {
        hint: 'Generate a new project with tenon new to switch frameworks.',
      },
    );
  }
  const name = packageName(options.name ?? previous?.name ?? basename(dir));
  const extra = [previous?.extraResources, options.addResources].filter(Boolean).join(', ') || undefined;
  const templates = options.templates
    ? resolve(options.cwd, options.templates)
    : previous?.templates
      ? resolve(dir, previous.templates)
      : undefined;

  const loaded = loadModel(specInput, extra, inputCwd, options.cwd);
  const { document, source } = loaded;
  const warnings = [...movedWarnings, ...loaded.warnings];
  // Every project has the auth tables; the version tells the next generation they exist.
  const model: ApiModel = { ...loaded.model, auth: AUTH_SCHEMA_VERSION };
  warnings.push(...authRouteWarnings(authRouteClaims(accessPolicy(model).rules)));
  const crud = model.resources.reduce((n, r) => n + Object.values(r.operations).filter(Boolean).length, 0);
  onEvent({
    type: 'model-built',
    resources: model.resources.length,
    operations: crud + model.operations.length,
    handlers: model.operations.length,
  });
  const view = projectView({ model, name, framework, openapi: document, source });
  const files = renderProject(view, framework, templates);

  const migrations: string[] = [];
  const before = previous ? readPreviousModel(dir) : undefined;
  const migrationHeader = `Generated by tenon from ${source}. Never edited by tenon again once written.`;
  if (!before) {
    const sql = initialMigration(model);
    const path = `migrations/${migrationFileName(INITIAL_MIGRATION_VERSION, 'create_schema')}`;
    files.push({
      path,
      content: renderMigrationFile({
        header: migrationHeader,
        up: sql.up.join('\n\n'),
        down: sql.down.join('\n'),
      }),
      policy: 'migration',
      template: '(migration)',
    });
    migrations.push(path);
  } else {
    const diff = diffModels(before, model);
    warnings.push(...diff.warnings.map((message) => ({ at: 'migration', message })));
    if (!isEmptyDiff(diff)) {
      const version = nextVersion(options.now ?? new Date(), latestMigrationVersion(dir));
      const path = `migrations/${migrationFileName(version, diff.name)}`;
      files.push({
        path,
        content: renderMigrationFile({
          header: migrationHeader,
          up: diff.up.join('\n'),
          down: diff.down.join('\n'),
        }),
        policy: 'migration',
        template: '(migration)',
      });
      migrations.push(path);
    }
  }
  onEvent({ type: 'files-rendered', files: files.length });

  const plan = planWrites(dir, files, previous);
  const manifest: Manifest = {
    tenon: '1',
    name,
    framework,
    input: manifestInput,
    ...(extra ? { extraResources: extra } : {}),
    ...(options.templates
      ? { templates: relative(dir, templates!) }
      : previous?.templates
        ? { templates: previous.templates }
        : {}),
    files: Object.fromEntries(Object.entries(plan.hashes).sort(([a], [b]) => a.localeCompare(b))),
  };
  if (!options.dryRun) {
    mkdirSync(dir, { recursive: true });
    if (manifest.input.kind === 'openapi' && specInput.kind === 'openapi') {
      // A spec inside the project moves with it; one outside is copied in (with the files it refers to).
      const from = manifest.input.from;
      const flag = manifest.input.conventions ? { conventions: true } : {};
      if (isInsideProject(from)) {
        manifest.input = { kind: 'openapi', from, ...flag };
        rmSync(join(dir, SPEC_COPY_DIR), { recursive: true, force: true });
      } else {
        manifest.input = {
          kind: 'openapi',
          from,
          copy: copySpecIntoProject(dir, resolve(dir, specInput.from)),
          ...flag,
        };
      }
    }
    applyPlan(dir, plan);
    mkdirSync(join(dir, '.tenon'), { recursive: true });
    writeFileSync(join(dir, MANIFEST_PATH), stableJson(manifest));
    writeFileSync(join(dir, MODEL_PATH), stableJson(model));
  }
  return {
    dir,
    name,
    framework,
    dryRun: options.dryRun,
    resources: model.resources.map((r) => r.name),
    files: plan.files,
    migrations: migrations.filter((m) => plan.files.some((f) => f.path === m && f.action === 'create')),
    notImplemented: model.operations
      .filter((op) => !op.distinct)
      .map((op) => ({
        operationId: op.operationId,
        method: op.method.toUpperCase(),
        route: op.route,
        file: `src/operations/${op.file}.ts`,
      })),
    warnings,
    policy: view.policy,
    serving: model.serving ?? { mode: 'conventions', base: '' },
  };
}
