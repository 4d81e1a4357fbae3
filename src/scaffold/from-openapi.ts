import { basename, resolve } from 'node:path';
import { TenonError } from '../core/errors.js';
import { crudOperationId } from './access-policy.js';
import { markAckAnswers } from './ack-answer.js';
import { answerShapes } from './answer-shapes.js';
import type { ApiModel, CustomOperation, ModelWarning, ResourceModel } from './api-model.js';
import { checkModel, checkResource, linkReferences } from './check-model.js';
import { satisfyCredentialParameters } from './credential-parameters.js';
import { declaredSortNotes } from './declared-sort.js';
import { distinctValues } from './distinct-values.js';
import { buildOrder } from './group-order.js';
import { unappliedListParameters } from './json-schemas.js';
import { type ListAnswer, listAnswerGap, listAnswerOf, listMinItems } from './list-answer-gap.js';
import { listBodyOperations } from './list-bodies.js';
import { jsonAdded } from './media-view.js';
import { documentAccess, documentCredentials, operationRoles } from './openapi-access.js';
import { answersList, markAnsweredNonNullable, markUnanswered } from './openapi-answers.js';
import { alignExclusiveBounds } from './openapi-dialect.js';
import { type ErrorOperation, errorFormats, validationStatuses } from './openapi-errors.js';
import { integerStorageNotes, type PropertyInfo, secretNotes } from './openapi-fields.js';
import { notGenerated, type SpecIssue, specIssue, specIssues } from './openapi-issues.js';
import { isObject, type Json, type JsonObject, SpecFiles } from './openapi-loader.js';
import { bodyOfGetIgnored, customOperation } from './openapi-operations.js';
import { groupPaths, type PathGroup } from './openapi-paths.js';
import { buildResource } from './openapi-resource.js';
import { keyAsId, servedResource, specAnswer } from './openapi-served.js';
import { byOtherKey } from './other-key.js';
import { ownRouteAnswers } from './own-route-answers.js';
import { putCreates } from './put-creates.js';
import { alignRefSiblings } from './ref-siblings.js';
import { servedBodies } from './served-bodies.js';
import { unlinkServerSetReferences } from './server-set-references.js';
import { openApiVersion, validateOpenApiDocument } from './validate-openapi.js';
import { wrapperIssue } from './wrapped-bodies.js';

/** The model of a spec, its warnings, and the document the generated project serves. */
export interface FromOpenApiResult {
  model: ApiModel;
  warnings: ModelWarning[];
  /** The spec bundled into one document (external `$ref`s inlined). */
  document: JsonObject;
  /** True when the spec's paths lack the `/api/v1` prefix that the generated routes add (`--conventions` only). */
  prefixAdded: boolean;
}

/** Options of {@link modelFromOpenApi}. */
export interface FromOpenApiOptions {
  /** Serve tenon's conventions (`/api/v1`, the envelope) instead of the spec's paths and answers. */
  conventions?: boolean;
}

/**
 * Reads an OpenAPI 3.0 or 3.1 spec (YAML or JSON, with relative-file
 * `$ref`s) and builds the model: CRUD-shaped paths become resources, the
 * rest become custom operations.
 *
 * @throws TenonError `TENON_SCAFFOLD_SPEC_INVALID` (with the JSON pointer of each problem),
 *   `TENON_SCAFFOLD_SPEC_UNSUPPORTED`, `TENON_SCAFFOLD_SPEC_NOT_FOUND`, `TENON_SCAFFOLD_NAME_INVALID`.
 */
export function modelFromOpenApi(
  file: string,
  cwd: string = process.cwd(),
  options: FromOpenApiOptions = {},
): FromOpenApiResult {
  const files = new SpecFiles(resolve(cwd, file));
  const root = files.root as Json;
  const version = openApiVersion(root);
  if (!version || !isObject(root)) {
    const claimed = isObject(root) ? (root.openapi ?? root.swagger) : undefined;
    // A Swagger 2.0 document says so in `swagger`, the field the error points at.
    const pointer =
      isObject(root) && root.openapi === undefined && root.swagger !== undefined ? '/swagger' : '/openapi';
    throw new TenonError(
      'TENON_SCAFFOLD_SPEC_INVALID',
      `${files.where({ file: files.rootFile, pointer })}: ${claimed ? `version ${JSON.stringify(claimed)} is not supported` : 'not an OpenAPI document (no "openapi" field)'}.`,
      {
        hint:
          pointer === '/swagger'
            ? `tenon reads OpenAPI 3.0.x and 3.1.x. Convert the Swagger 2.0 spec first (for example \`npx swagger2openapi ${basename(files.rootFile)} -o openapi.yaml\`), then run tenon on the result.`
            : 'tenon reads OpenAPI 3.0.x and 3.1.x. Convert Swagger 2.0 specs first.',
        details: { pointer },
      },
    );
  }
  // The app serves the user's document as written (/openapi.json is their contract); its
  // validators read exclusive bounds in the spec's own dialect, converted here.
  let written: JsonObject | undefined;
  try {
    written = files.bundle() as JsonObject;
  } catch {
    written = undefined; // a bundling problem is reported by the model builder below
  }
  const warnings: ModelWarning[] = [
    ...alignExclusiveBounds(files, version),
    ...alignRefSiblings(files, version),
  ];
  // Problems are collected, so that one run reports them all: the document's against the
  // OpenAPI schema first, then those of single resources and operations.
  const found: SpecIssue[] = validateOpenApiDocument(root, version).map((p) => ({
    code: 'TENON_SCAFFOLD_SPEC_INVALID',
    pointer: p.pointer,
    message: `${files.where({ file: files.rootFile, pointer: p.pointer })}: ${p.message}.`,
    hint: `Fix it as the OpenAPI ${version} specification says.`,
  }));
  try {
    const result = buildModel(files, root, warnings, found, options.conventions === true);
    return written ? { ...result, document: written } : result;
  } catch (error) {
    // On a document that is not valid OpenAPI the builder may trip anywhere: the problems say why.
    if (found.length === 0 || error instanceof TenonError) throw error;
    throw specIssues(files, found);
  }
}

function buildModel(
  files: SpecFiles,
  root: JsonObject,
  warnings: ModelWarning[],
  found: SpecIssue[],
  conventions: boolean,
): FromOpenApiResult {
  const attempt = <T>(run: () => T): T | undefined => {
    try {
      return run();
    } catch (error) {
      if (!(error instanceof TenonError) || !error.code.startsWith('TENON_SCAFFOLD_')) throw error;
      found.push(specIssue(error));
      return undefined;
    }
  };
  warnings.push(...notGenerated(files, root));
  const { groups, custom, prefixAdded, base, owned } = groupPaths(files, root, warnings, conventions);
  // The operations served, for their declared error answers (a CRUD operation can turn custom later).
  const errorOps: (ErrorOperation & { served: () => boolean })[] = [];
  // Roles named by security scopes, collected while the operations are read.
  const scopeRoles = new Set<string>();
  const built: { resource: ResourceModel; props: PropertyInfo[]; group?: PathGroup }[] = [];
  const rank = new Map<(typeof built)[number], number>(); // the spec's order, restored once built
  // Spec serving: the spec's routes, answers, bodies and parameters of a resource (see openapi-served.ts).
  const serve = (b: { resource: ResourceModel; props: PropertyInfo[] }, group: PathGroup) => {
    const served = servedResource(files, group, base);
    b.resource.served = served;
    markUnanswered(b.resource, b.props);
    b.props = keyAsId(b.resource, b.props, warnings);
    byOtherKey(files, warnings, custom, b.resource, group, b.props);
    bodiless(b.resource, group);
    listBodies(b.resource, group);
    // The list's answer, normalized once for the singleton check and the gap warning.
    const listAnswer = listAnswerOf(files, group);
    singleton(b.resource, group, listAnswer);
    servedBodies(files, group, b.resource, warnings);
    putCreates(files, group, b.resource, warnings);
    markAckAnswers(files, group, b.resource, warnings);
    markAnsweredNonNullable(files, group, b.resource);
    const gap = listAnswerGap(files, listAnswer, b.resource);
    if (gap) warnings.push(gap);
    for (const message of jsonAdded(b.resource)) warnings.push({ at: b.resource.source, message });
    warnings.push(...declaredSortNotes(b.resource));
    for (const name of unappliedListParameters(b.resource))
      warnings.push({
        at: b.resource.source,
        message: `GET ${served.collection}: the query parameter ${name} is validated as the spec declares it and handed to list() in src/resources/${b.resource.kebab}.service.ts; the generated repository does not apply it.`,
      });
  };
  // A create whose spec declares no request body (pachca's `POST /threads`: the server makes the
  // row from nothing the client sends) cannot be the generated route, which reads and validates a
  // body: a handler of its own, so that the spec-valid request is not a 400. (A patch without one
  // is served: its body is optional, and nothing sent changes nothing; a PUT without one is read
  // as replacing the row with the resource's fields, as terse specs mean it.)
  const bodiless = (resource: ResourceModel, group: PathGroup) => {
    for (const op of group.ops) {
      if (op.kind !== 'create' || !resource.operations.create) continue;
      if (op.loc.node.requestBody !== undefined) continue;
      resource.operations[op.kind] = false;
      custom.push(op.custom);
      warnings.push({
        at: files.where(op.loc),
        code: 'operation-not-crud',
        message: `${op.method.toUpperCase()} ${op.custom.path} is a handler of its own (501 until written), not CRUD: the spec declares no request body, and the generated ${op.kind} reads the row's fields from one.`,
        hint: `Write it in src/operations/ (the server makes the row), or declare the body the ${op.kind} takes.`,
      });
    }
  };
  // A create, update or patch whose JSON body is a list (kratos's JSON Patch): a handler of its own.
  const listBodies = (resource: ResourceModel, group: PathGroup) => {
    for (const { op, why } of listBodyOperations(files, group, resource)) {
      resource.operations[op.kind] = false;
      custom.push(op.custom);
      warnings.push({ at: files.where(op.loc), code: 'operation-not-crud', ...why });
    }
  };
  // A GET on the collection path that answers one object, not a list (pachca's `GET /profile`
  // answering `{ data: User }`), is no list of rows: a handler of its own, never an array in its place.
  const singleton = (resource: ResourceModel, group: PathGroup, answer: ListAnswer | undefined) => {
    const op = group.ops.find((o) => o.kind === 'list');
    if (!op || !resource.operations.list) return;
    if (!answer) return;
    // A list that declares at least one item (Discourse's `GET /admin/backups.json`, `minItems: 1`)
    // is no list of a table, which may be empty: a handler of its own, never an answer the spec forbids.
    const least = answersList(files, answer.at, answer.norm) ? listMinItems(files, answer) : undefined;
    if (answersList(files, answer.at, answer.norm) && least === undefined) return;
    resource.operations.list = false;
    custom.push(op.custom);
    warnings.push({
      at: files.where(op.loc),
      code: 'operation-not-crud',
      message: `GET ${op.custom.path} is a handler of its own (501 until written), not CRUD: ${least === undefined ? `it answers one object, not a list of ${resource.name} rows` : `its answer holds at least ${least} item${least > 1 ? 's' : ''} (minItems), which an empty table cannot give`}.`,
      hint:
        least === undefined
          ? 'Write it in src/operations/, or answer an array (or a page of one) if it does list rows.'
          : 'Write it in src/operations/, or drop minItems if the list may be empty.',
    });
  };
  const order = [...groups.values()];
  for (const group of buildOrder(files, order, conventions)) {
    let resource: { resource: ResourceModel; props: PropertyInfo[] } | undefined;
    let unsupported: TenonError | undefined;
    const mark = warnings.length;
    // Spec serving: bodies wrapped under a key (`{ "article": {…} }`) are served by handlers.
    if (!conventions) unsupported = wrapperIssue(files, group);
    if (!unsupported)
      attempt(() => {
        try {
          resource = buildResource(files, group, warnings, scopeRoles);
        } catch (error) {
          if (error instanceof TenonError && error.code === 'TENON_SCAFFOLD_SPEC_UNSUPPORTED')
            unsupported = error;
          else throw error;
        }
      });
    if (resource) {
      try {
        if (!conventions) serve(resource, group);
        // Every operation went to a handler of its own (its key is not the id, a singleton): no CRUD
        // routes, no table, no notes about the resource — only why each operation is a handler.
        if (!Object.values(resource.resource.operations).some(Boolean)) {
          const why = warnings.slice(mark).filter((w) => w.code === 'operation-not-crud');
          warnings.splice(mark, warnings.length - mark, ...why);
          continue;
        }
        warnings.push(...secretNotes(resource.resource), ...integerStorageNotes(resource.resource));
        checkResource(
          resource.resource,
          built.map((b) => b.resource),
          warnings,
        );
        const entry = { ...resource, group };
        built.push(entry);
        const served = resource.resource;
        for (const op of group.ops)
          errorOps.push({
            operationId: crudOperationId(served, op.kind),
            loc: op.loc,
            served: () => served.operations[op.kind],
          });
        rank.set(entry, order.indexOf(group));
      } catch (error) {
        const degrades = ['TENON_SCAFFOLD_NAME_INVALID', 'TENON_SCAFFOLD_SPEC_UNSUPPORTED'];
        if (!(error instanceof TenonError) || !degrades.includes(error.code)) throw error;
        // A name that cannot become a table or type, a body the answers could not write back:
        // the notes about the resource no longer apply.
        warnings.splice(mark);
        unsupported = error;
      }
    }
    if (!unsupported) continue;
    // Degrade, don't refuse: the operations are served as typed handlers of their own.
    const issue = specIssue(unsupported);
    for (const op of group.ops) {
      if (!custom.includes(op.custom)) custom.push(op.custom);
      warnings.push({
        at: files.where(op.loc),
        code: 'operation-not-crud',
        message: `${op.method.toUpperCase()} ${op.custom.path} is a handler of its own (501 until written), not CRUD: ${issue.message}`,
        ...(issue.hint ? { hint: issue.hint } : {}),
      });
    }
  }
  built.sort((a, b) => rank.get(a)! - rank.get(b)!);
  const resources = built.map((b) => b.resource);
  const props = built.map((b) => b.props);
  unlinkServerSetReferences(resources, props, warnings);
  attempt(() => linkReferences(resources, props, warnings, true));
  // Answers of their own (a create answering ids where GET embeds objects): written from the row, or
  // a handler of its own when no row can give them.
  if (!conventions)
    for (const b of built)
      if (b.group)
        answerShapes(files, b.group, b.resource, resources, warnings, (op, why) => {
          b.resource.operations[op.kind] = false;
          custom.push(op.custom);
          warnings.push({
            at: files.where(op.loc),
            code: 'operation-not-crud',
            message: `${op.method.toUpperCase()} ${op.custom.path} is a handler of its own (501 until written), not CRUD: ${why}`,
            hint: 'Write it in src/operations/, or declare an answer the row gives (the GET item, or optional properties of it).',
          });
        });
  const info = isObject(root.info) ? root.info : {};
  const operations: CustomOperation[] = [];
  for (const c of custom) {
    const op = attempt(() => {
      const op = customOperation(files, c.method, c.path, c.route, c.loc, c.item);
      if (c.loc.node.requestBody !== undefined && bodyOfGetIgnored(c.method))
        warnings.push({
          at: files.where(c.loc),
          code: 'request-body-ignored',
          message: `${c.method.toUpperCase()} ${c.path} declares a request body: the handler gets none (input.body is undefined), since HTTP gives a ${c.method.toUpperCase()} body no meaning and Fastify does not read one`,
          hint: 'Declare the values as query parameters, or make the operation a POST.',
        });
      if (!conventions) op.answer = specAnswer(files, c.loc, c.method === 'post' ? 201 : 200);
      const declared = operationRoles(files, c.loc, scopeRoles);
      if (declared?.public) return { ...op, public: true };
      return declared
        ? { ...op, roles: declared.roles, ...(declared.anyOf ? { scopes: declared.anyOf } : {}) }
        : op;
    });
    if (op) {
      attempt(() => distinctValues(op, resources, warnings, files.where(c.loc)));
      operations.push(op);
      errorOps.push({ operationId: op.operationId, loc: c.loc, served: () => true });
    }
  }
  const model: ApiModel = {
    title: typeof info.title === 'string' ? info.title : 'API',
    version: typeof info.version === 'string' ? info.version : '1.0.0',
    resources,
    operations,
    serving: { mode: conventions ? 'conventions' : 'spec', base: conventions ? '' : base },
  };
  if (!conventions) {
    const declared = errorOps.filter((o) => o.served());
    const errors = attempt(() => errorFormats(files, declared, warnings));
    if (errors) model.serving!.errors = errors;
    const invalid = attempt(() => validationStatuses(files, declared));
    if (invalid) model.serving!.invalid = invalid;
    const health = attempt(() => ownRouteAnswers(files, owned, warnings));
    if (health) model.serving!.health = health;
  }
  const access = attempt(() => documentAccess(files, root, scopeRoles));
  if (access) model.access = access;
  const credentials = attempt(() => documentCredentials(files, root, warnings));
  if (
    credentials &&
    (credentials.basic ||
      credentials.headers.length + credentials.query.length + credentials.cookies.length > 0)
  )
    model.access = { ...model.access, credentials };
  // A declared parameter that is where an apiKey scheme puts the token is satisfied by the credential.
  if (credentials) warnings.push(...satisfyCredentialParameters(model, credentials, files, root));
  if (typeof info.description === 'string') model.description = info.description;
  // Resources were checked one by one above (their notes are in warnings): this adds the operations.
  if (found.length === 0) attempt(() => checkModel(model, []));
  if (found.length > 0) throw specIssues(files, found);
  return { model, warnings, document: files.bundle() as JsonObject, prefixAdded };
}
