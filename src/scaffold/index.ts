/** `tenon/scaffold`: production-grade API projects from an OpenAPI spec or a resource list. */
export type {
  ApiModel,
  CrudOperations,
  CustomOperation,
  FieldKind,
  FieldModel,
  ModelWarning,
  ResourceModel,
} from './api-model.js';
export { type FromOpenApiResult, modelFromOpenApi } from './from-openapi.js';
export { modelFromResourceDsl } from './from-resource-dsl.js';
export {
  type GenerateEvent,
  type GenerateOptions,
  type GenerateResult,
  generateOptionsSchema,
  generateProject,
  INITIAL_MIGRATION_VERSION,
  type NotImplementedOperation,
} from './generate.js';
export { type InstallEvent, type InstallOptions, installDependencies } from './install.js';
export { MANIFEST_PATH, type Manifest, readManifest } from './manifest.js';
export { collectTemplates, type Framework, templatesDir } from './render.js';
export { type ScaffoldConfig, scaffoldConfigSchema } from './scaffold-config.js';
export type { FileAction, PlannedFile } from './write-plan.js';
