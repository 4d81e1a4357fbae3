import { mergeAllOf } from './answer-gap.js';
import type { ModelWarning, ResourceModel } from './api-model.js';
import { itemSchema } from './json-schemas.js';
import { itemOf, successJsonSchema } from './openapi-answers.js';
import type { Located, SpecFiles } from './openapi-loader.js';
import type { PathGroup } from './openapi-paths.js';
import { normalizeSchema, toStandaloneSchema } from './openapi-schema.js';
import type { AnswerShape } from './serving-model.js';

type Schema = Record<string, unknown>;

const isSchema = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The operations whose answer may be a schema of its own (a list's items and a read are the item). */
export const SHAPED = ['create', 'update', 'patch'] as const;

/** A schema's JSON types, `null` left out (none: any). */
function typesOf(schema: Schema): string[] {
  const t = schema.type;
  const list = Array.isArray(t) ? t.map(String) : typeof t === 'string' ? [t] : [];
  return list.filter((x) => x !== 'null');
}

const SCALAR = new Set(['integer', 'number', 'string']);

/** Whether every value of `stored`'s type can be written as `declared` (no type on either: yes; integer fits number). */
function fits(stored: Schema, declared: Schema): boolean {
  const have = typesOf(stored);
  const want = typesOf(declared);
  if (have.length === 0 || want.length === 0) return true;
  return have.every((t) => want.includes(t) || (t === 'integer' && want.includes('number')));
}

const scalarItems = (s: Schema) =>
  typesOf(s).includes('array') && isSchema(s.items) && typesOf(s.items).some((t) => SCALAR.has(t));
const objectItems = (s: Schema) =>
  typesOf(s).includes('array') &&
  isSchema(s.items) &&
  isSchema(mergeAllOf(s.items).properties) &&
  isSchema((mergeAllOf(s.items).properties as Schema).id);

/**
 * How an operation's declared answer item (`declared`) is written from the
 * row as GET answers it (`item`, tenon's item schema): the item's
 * properties (only the declared ones when the declaration closes them),
 * some derived — ids from embedded objects (listmonk's
 * `CampaignUpdate.lists: integer[]` from `Campaign.lists: [{ id, name }]`)
 * or objects naming ids (the reverse); a declared property the row holds
 * in a type the declaration does not take is left out when optional.
 * Undefined when the item as GET answers it is already valid (nothing to
 * reshape); `unsound` names the required property no row can give.
 */
export function shapeOf(declared: Schema, item: Schema): { shape?: AnswerShape; unsound?: string } {
  const op = mergeAllOf(declared);
  const types = typesOf(op);
  if (types.length > 0 && !types.includes('object'))
    return { unsound: `it answers ${types.join(' or ')}, not the row` };
  const declaredProps = isSchema(op.properties) ? op.properties : {};
  const required = new Set(Array.isArray(op.required) ? op.required.map(String) : []);
  const itemProps = isSchema(item.properties) ? item.properties : {};
  // No declared properties: any object is valid, the item's own answer included.
  if (Object.keys(declaredProps).length === 0) return {};
  // The row as GET answers it, but for what the declaration writes otherwise: an answer that does
  // not close its properties (`additionalProperties: false`) keeps the item's others, as GET writes them.
  const closed = op.additionalProperties === false;
  const properties: Schema = closed ? {} : { ...itemProps };
  const derive: NonNullable<AnswerShape['derive']> = {};
  const omitted: string[] = [];
  for (const [name, raw] of Object.entries(declaredProps)) {
    if (!isSchema(raw)) continue;
    const want = mergeAllOf(raw);
    const have = itemProps[name];
    const leaveOut = (why: string) => {
      if (required.has(name)) return `${name} is required in the answer, and ${why}`;
      if (isSchema(have)) omitted.push(name);
      delete properties[name];
      return undefined;
    };
    let problem: string | undefined;
    if (!isSchema(have)) problem = leaveOut('the row has no such property');
    else if (scalarItems(want) && objectItems(have)) {
      properties[name] = want;
      derive[name] = 'ids';
    } else if (objectItems(want) && scalarItems(have)) {
      const items = mergeAllOf(want.items as Schema);
      const needs = (Array.isArray(items.required) ? items.required.map(String) : []).filter(
        (r) => r !== 'id',
      );
      if (needs.length > 0) problem = leaveOut(`the row holds only the ids, not ${needs.join(', ')}`);
      else {
        properties[name] = want;
        derive[name] = 'objects';
      }
    } else if (fits(have, want)) properties[name] = have;
    else problem = leaveOut(`the row holds it as ${typesOf(have).join(' or ')}`);
    if (problem) return { unsound: problem };
  }
  const same =
    Object.keys(derive).length === 0 &&
    Object.keys(properties).length === Object.keys(itemProps).length &&
    Object.keys(itemProps).every((k) => k in properties);
  if (same) return {};
  return {
    shape: {
      schema: { type: 'object', properties },
      ...(Object.keys(derive).length > 0 ? { derive } : {}),
      ...(omitted.length > 0 ? { omitted } : {}),
    },
  };
}

/** The located item an operation answers: in the envelope's `data`, under the spec's wrapping key, or the answer itself. */
function answeredItem(files: SpecFiles, at: Located, wrap: string | undefined): Located {
  if (wrap === undefined) return itemOf(files, at);
  return normalizeSchema(files, at).propertyLocations[wrap] ?? at;
}

/**
 * Gives each create, update and patch of a resource whose declared answer
 * is not the one GET answers (another schema, not the same properties) the
 * shape it is written in ({@link shapeOf}); an operation whose answer
 * cannot be written from the row is handed to `demote` (a handler of its
 * own) with the reason. Runs once the resources are linked: the item
 * schema is the answer as served, with its embedded relations.
 */
export function answerShapes(
  files: SpecFiles,
  group: PathGroup,
  resource: ResourceModel,
  all: readonly ResourceModel[],
  warnings: ModelWarning[],
  demote: (op: PathGroup['ops'][number], why: string) => void,
): void {
  const served = resource.served;
  if (!served) return;
  const itemLocOf = (kind: 'read' | 'list') => {
    const op = group.ops.find((o) => o.kind === kind);
    const at = op && resource.operations[kind] ? successJsonSchema(files, op.loc) : undefined;
    return at
      ? kind === 'list'
        ? itemOf(files, at, true)
        : answeredItem(files, at, served.answers.read?.wrap)
      : undefined;
  };
  // Without a CRUD read or list (Discourse's badges: GET /admin/badges.json answers one object and is a
  // handler), the row is still answered as the item: each answer is checked against it all the same.
  const reference = itemLocOf('read') ?? itemLocOf('list');
  const refSchema = reference ? JSON.stringify(toStandaloneSchema(files, reference)) : undefined;
  const item = itemSchema(resource, all);
  for (const kind of SHAPED) {
    const op = group.ops.find((o) => o.kind === kind);
    const answer = served.answers[kind];
    // An acknowledgement (`ack-answer.ts`) is already written as the spec declares it, not from the row.
    if (!op || !answer || answer.ack || !resource.operations[kind]) continue;
    const at = successJsonSchema(files, op.loc);
    if (!at || answer.page) continue;
    const loc = answeredItem(files, at, answer.wrap);
    const declared = toStandaloneSchema(files, loc);
    if (JSON.stringify(declared) === refSchema) continue;
    const { shape, unsound } = shapeOf(declared, item);
    const route = `${op.method.toUpperCase()} ${op.custom.path}`;
    if (unsound) {
      demote(
        op,
        `its answer (${files.where(loc)}) is not the row as ${reference ? 'GET answers it' : 'stored'}: ${unsound}.`,
      );
      continue;
    }
    if (!shape) continue;
    served.shapes = { ...served.shapes, [kind]: shape };
    const derived = Object.entries(shape.derive ?? {}).map(
      ([name, how]) =>
        `${name} ${how === 'ids' ? 'as the ids of the embedded objects' : 'as objects naming the ids'}`,
    );
    warnings.push({
      at: files.where(loc),
      message: `${route} answers its own schema, not GET's item: written from the row${derived.length ? `, ${derived.join(', ')}` : ''}${shape.omitted?.length ? `; left out (optional, and the row holds them in another type): ${shape.omitted.join(', ')}` : ''}.`,
    });
  }
  if (refSchema) listShape(files, group, resource, item, refSchema, warnings);
}

/**
 * A list whose items the spec declares in a closed schema of their own (a
 * summary of the row: `PetSummary { id, name }` with `additionalProperties:
 * false` beside GET's `Pet`) is serialized through that schema, so the items
 * carry only what it declares. An open item schema takes the row as GET
 * answers it (nothing to shape). Items that need what no row gives, or
 * values derived from the row, are served as GET's item and said so: the
 * list stays CRUD rather than becoming a handler of its own.
 */
function listShape(
  files: SpecFiles,
  group: PathGroup,
  resource: ResourceModel,
  item: Schema,
  refSchema: string,
  warnings: ModelWarning[],
): void {
  const served = resource.served!;
  const op = group.ops.find((o) => o.kind === 'list');
  // Without GET by id, the list's own item is the reference: already served as declared.
  if (!op || !resource.operations.list || !resource.operations.read) return;
  const at = successJsonSchema(files, op.loc);
  if (!at) return;
  const loc = itemOf(files, at, true);
  const declared = toStandaloneSchema(files, loc);
  if (JSON.stringify(declared) === refSchema) return;
  const { shape, unsound } = shapeOf(declared, item);
  const route = `GET ${op.custom.path}`;
  if (unsound || shape?.derive) {
    warnings.push({
      at: files.where(loc),
      message: `${route}: its items are declared in a schema of their own, but ${unsound ?? 'some of their properties are derived from the row'}; the items are answered as GET's item.`,
      hint: 'Declare the list items as GET /{id} answers the row, or write the list in src/resources/ yourself.',
    });
    return;
  }
  if (!shape) return;
  served.shapes = { ...served.shapes, list: shape };
  const left = Object.keys(item.properties as Schema).filter(
    (k) => !(k in (shape.schema.properties as Schema)),
  );
  warnings.push({
    at: files.where(loc),
    message: `${route} answers items of its own schema, not GET's item: written from the row${left.length ? `, without ${left.join(', ')}` : ''}.`,
  });
}
