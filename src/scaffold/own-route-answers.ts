import type { ModelWarning } from './api-model.js';
import { successJsonSchema } from './openapi-answers.js';
import { child, isObject, type JsonObject, type Located, type SpecFiles } from './openapi-loader.js';
import { toStandaloneSchema } from './openapi-schema.js';
import { OWN_ROUTES } from './own-routes.js';
import type { HealthAnswer, HealthAnswers } from './serving-model.js';
import { sampleFromSchema } from './test-samples.js';

/** Status words a probe's answer means "healthy" by, in the order a status enum is searched. */
const HEALTHY = /^(ok|up|pass|passing|healthy|ready|alive|live|available|green)$/i;

/**
 * What the project's own health checks answer when the spec declares them
 * itself (ory kratos's `GET /health/ready` answering `{ status }`): the
 * project keeps serving its checks (probes, the Dockerfile and its tests use
 * them), and answers 200 as the spec declares it instead of tenon's envelope:
 * a JSON object sampled from the schema, its `status` a healthy word (from
 * the spec's enum when it has one), or plain text (`OK`, the schema's
 * example or healthy enum word). Any other declared answer keeps tenon's,
 * said in the report. Undefined when the spec declares neither route.
 */
export function ownRouteAnswers(
  files: SpecFiles,
  owned: readonly { route: string; loc: Located }[],
  warnings: ModelWarning[],
): HealthAnswers | undefined {
  const out: HealthAnswers = {};
  for (const { route, loc } of owned) {
    const key = OWN_ROUTES.get(route)?.health;
    if (!key) continue;
    const answer = healthAnswer(files, loc);
    if (!answer) {
      warnings.push({
        at: files.where(loc),
        message: `GET ${route}: the spec's 200 is neither a JSON object nor plain text; the project's own check answers tenon's { success, data: { status: "ok" } }.`,
      });
      continue;
    }
    out[key] = answer;
    warnings.push({
      at: files.where(loc),
      message: `GET ${route} answers 200 as the spec declares it (${answer.media}: ${JSON.stringify(answer.body)}), from the project's own check.`,
    });
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The healthy 200 answer the spec declares for a probe: JSON first, then text; undefined for any other. */
function healthAnswer(files: SpecFiles, op: Located): HealthAnswer | undefined {
  const json = successJsonSchema(files, op, /^200$/);
  const body = json ? healthyObject(toStandaloneSchema(files, json)) : undefined;
  if (json && body) return { media: json.media, body };
  // Plain text, which the JSON answers' reader leaves out: `OK`, or the schema's healthy word.
  const responses = isObject(op.node) && isObject(op.node.responses) ? op.node.responses : {};
  if (responses['200'] === undefined) return undefined;
  const response = files.deref({
    node: responses['200'],
    file: op.file,
    pointer: child(op.pointer, 'responses', '200'),
  });
  const content = isObject(response.node) && isObject(response.node.content) ? response.node.content : {};
  const media = content['text/plain'];
  if (!isObject(media) || media.schema === undefined) return undefined;
  const at = {
    node: media.schema,
    file: response.file,
    pointer: child(response.pointer, 'content', 'text/plain', 'schema'),
  };
  const string = toStandaloneSchema(files, at);
  if (string.type === 'string' || string.type === undefined)
    return { media: 'text/plain', body: healthyWord(string) ?? 'OK' };
  return undefined;
}

/** A sample of an object schema with its `status` (any case) a healthy word; undefined for any other schema. */
function healthyObject(schema: JsonObject): JsonObject | undefined {
  const value = sampleFromSchema(schema);
  if (!isObject(value)) return undefined;
  const props = isObject(schema.properties) ? schema.properties : {};
  for (const [name, raw] of Object.entries(props)) {
    if (name.toLowerCase() !== 'status' || !isObject(raw)) continue;
    const word = healthyWord(raw);
    if (word !== undefined) value[name] = word;
    else if (raw.type === 'string' || raw.type === undefined) value[name] = 'ok';
  }
  return value;
}

/** A string schema's healthy word: its enum's (the first healthy one, else the first), else its example. */
function healthyWord(schema: JsonObject): string | undefined {
  const choices = Array.isArray(schema.enum) ? schema.enum.filter((v) => typeof v === 'string') : [];
  if (choices.length > 0) return choices.find((v) => HEALTHY.test(v)) ?? choices[0]!;
  return typeof schema.example === 'string' ? schema.example : undefined;
}
