import { basename, resolve } from 'node:path';
import type { ApiModel, ModelWarning } from './api-model.js';
import { modelFromOpenApi } from './from-openapi.js';
import { modelFromResourceDsl } from './from-resource-dsl.js';
import type { Manifest } from './manifest.js';
import { documentFromModel, servedDocument } from './openapi-document.js';
import type { JsonObject } from './openapi-loader.js';

/**
 * Builds the model and the served OpenAPI document from a manifest's input
 * (an OpenAPI file or resource DSL text), plus resources added by
 * `tenon generate resource`.
 */
export function loadModel(
  input: Manifest['input'],
  extra: string | undefined,
  cwdOfInput: string,
  displayCwd: string,
): { model: ApiModel; warnings: ModelWarning[]; document: JsonObject; source: string } {
  let model: ApiModel;
  let warnings: ModelWarning[];
  let document: JsonObject;
  let source: string;
  if (input.kind === 'openapi') {
    const conventions = input.conventions === true;
    const result = modelFromOpenApi(resolve(cwdOfInput, input.from), displayCwd, { conventions });
    model = result.model;
    warnings = result.warnings;
    // Served at its own paths, the app serves the user's document as it is.
    document = conventions ? servedDocument(result.document, model, result.prefixAdded) : result.document;
    source = basename(input.from);
  } else {
    ({ model, warnings } = modelFromResourceDsl(input.resources));
    document = documentFromModel(model);
    source = 'tenon --resources';
  }
  if (extra) {
    const before = model.resources.length;
    const added = modelFromResourceDsl(extra, model.title, model.resources);
    model = { ...model, resources: added.model.resources };
    warnings.push(...added.warnings);
    const extraDoc = documentFromModel(model, model.resources.slice(before));
    document = mergeDocuments(document, extraDoc);
  }
  return { model, warnings, document, source };
}

function mergeDocuments(base: JsonObject, extra: JsonObject): JsonObject {
  const out = structuredClone(base);
  const paths = (out.paths ?? {}) as JsonObject;
  Object.assign(paths, extra.paths as JsonObject);
  out.paths = paths;
  const components = (out.components ?? {}) as JsonObject;
  const schemas = (components.schemas ?? {}) as JsonObject;
  Object.assign(schemas, (extra.components as JsonObject).schemas as JsonObject);
  components.schemas = schemas;
  out.components = components;
  return out;
}
