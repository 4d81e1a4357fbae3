import type { ModelWarning, ResourceModel } from './api-model.js';
import { removedShape, successJsonSchema } from './openapi-answers.js';
import { isObject, type SpecFiles } from './openapi-loader.js';
import type { PathGroup } from './openapi-paths.js';
import { normalizeSchema } from './openapi-schema.js';

/**
 * Spec serving: a PUT or PATCH whose answer is an acknowledgement, not the resource (karakeep's
 * `PUT /admin/users/{userId}` answers `{ success: boolean }`): an object none of whose properties
 * is one of the row's. The route answers that object as the spec declares it — each property's
 * fixed value (`const`, `example`, `default`, an enum's first value, `true` for a boolean, the zero
 * of a required one's type; see `removedShape`) — and not the row, which would break the declared
 * schema. Sets `served.answers[kind].ack`, and says so in the report.
 */
export function markAckAnswers(
  files: SpecFiles,
  group: PathGroup,
  resource: ResourceModel,
  warnings: ModelWarning[],
): void {
  const answers = resource.served?.answers;
  if (!answers) return;
  const rowNames = new Set<string>([
    ...resource.fields.map((f) => f.name),
    resource.idName ?? 'id',
    ...(resource.lookupKey ? [resource.lookupKey] : []),
  ]);
  for (const op of group.ops) {
    if (op.kind !== 'update' && op.kind !== 'patch') continue;
    const answer = answers[op.kind];
    // The envelope, a wrapper, a page or other media types are the row's own answers.
    if (!answer || answer.envelope || answer.wrap || answer.page || answer.types) continue;
    const schema = successJsonSchema(files, op.loc);
    if (!schema) continue;
    const norm = normalizeSchema(files, schema);
    const properties = norm.schema.properties;
    if (!isObject(properties)) continue;
    const names = Object.keys(properties);
    if (names.length === 0 || names.some((n) => rowNames.has(n))) continue;
    const ack = removedShape(files, schema);
    if (!ack) continue;
    answer.ack = ack;
    warnings.push({
      at: files.where(op.loc),
      message: `${op.method.toUpperCase()} ${group.itemPath} answers an object that is not ${resource.name} (${names.join(', ')}): it is answered as the spec declares it, ${JSON.stringify(ackValue(ack))}, not the row.`,
    });
  }
}

/** The object an acknowledgement answers: each property the spec fixes a value for. */
export function ackValue(ack: { name: string; value?: unknown }[]): Record<string, unknown> {
  return Object.fromEntries(ack.filter((p) => p.value !== undefined).map((p) => [p.name, p.value]));
}

/**
 * How a route writes an acknowledgement: `body`, the object literal it answers, and `schema`, its
 * response schema (every property the spec declares, of any value: the body is the spec's own).
 */
export function ackView(
  ack: { name: string; value?: unknown }[] | undefined,
): { body: string; schema: string } | undefined {
  if (!ack) return undefined;
  const schema = { type: 'object', properties: Object.fromEntries(ack.map((p) => [p.name, {}])) };
  return { body: JSON.stringify(ackValue(ack)), schema: JSON.stringify(schema) };
}
