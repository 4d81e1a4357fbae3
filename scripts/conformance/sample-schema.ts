import { sample } from 'openapi-sampler';
import type { Node, Spec } from './spec-reader.js';

/** Keywords a branch of a "required choice" may carry besides `required` (they do not shape the sample). */
const CHOICE_KEYS = new Set(['required', 'type', 'title', 'description']);

/** One branch of a union (`oneOf`/`anyOf`) that only lists required properties: `{required: [email]}`. */
function requiredList(branch: Node, spec: Spec): string[] | undefined {
  const b = spec.deref(branch);
  if (!b || typeof b !== 'object' || !Array.isArray(b.required) || b.required.length === 0) return undefined;
  if (b.type !== undefined && b.type !== 'object') return undefined;
  return Object.keys(b).every((k) => CHOICE_KEYS.has(k)) ? b.required.map(String) : undefined;
}

/** A union whose branches are all required lists, and the properties required outside it. */
interface RequiredChoice {
  exclusive: boolean;
  branches: string[][];
  /** Properties the object requires whatever branch (its own `required`, and its `allOf` parts'). */
  always: Set<string>;
}

/** The first required-list union of an object schema, through `$ref` and `allOf` parts. */
function requiredChoice(
  schema: Node,
  spec: Spec,
  always = new Set<string>(),
  depth = 0,
): RequiredChoice | undefined {
  const s = spec.deref(schema);
  if (!s || typeof s !== 'object' || depth > 8) return undefined;
  if (Array.isArray(s.required)) for (const r of s.required) always.add(String(r));
  let found: RequiredChoice | undefined;
  for (const [keyword, exclusive] of [
    ['oneOf', true],
    ['anyOf', false],
  ] as const) {
    const list = s[keyword];
    if (found || !Array.isArray(list) || list.length < 2) continue;
    const branches = list.map((b: Node) => requiredList(b, spec));
    if (branches.every((b): b is string[] => b !== undefined)) found = { exclusive, branches, always };
  }
  for (const part of Array.isArray(s.allOf) ? s.allOf : []) {
    const inner = requiredChoice(part, spec, always, depth + 1);
    found ??= inner;
  }
  return found;
}

/**
 * Makes a sample take one branch of a required-list union whole, as a client
 * choosing that alternative does (`oneOf: [{required: [email]}, {required:
 * [phone]}]`): the sampler reads such branches as nothing, so its minimal
 * sample matches no branch and its full one (every property) matches all of
 * them — neither is a spec-valid body. The branch taken is the first whose
 * properties the full sample has; with `oneOf`, the properties only other
 * branches require are left out, so that exactly this branch matches.
 */
function takeBranch(value: unknown, full: Record<string, unknown>, choice: RequiredChoice): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  const branch = choice.branches.find((b) => b.every((p) => p in full));
  if (!branch) return value;
  const out = { ...(value as Record<string, unknown>) };
  for (const p of branch) if (!(p in out)) out[p] = full[p];
  if (choice.exclusive)
    for (const other of choice.branches)
      for (const p of other) if (!branch.includes(p) && !choice.always.has(p)) delete out[p];
  return out;
}

/** Whether a branch declares its discriminator property's values itself (`const`, `enum`), through `allOf` parts. */
function declaresValues(branch: Node, property: string, spec: Spec, depth = 0): boolean {
  const b = spec.deref(branch);
  if (!b || typeof b !== 'object' || depth > 8) return false;
  const own = spec.deref(b.properties?.[property]);
  if (own && typeof own === 'object' && (own.const !== undefined || Array.isArray(own.enum))) return true;
  return (
    Array.isArray(b.allOf) && b.allOf.some((part: Node) => declaresValues(part, property, spec, depth + 1))
  );
}

/**
 * A sample of a union with a `discriminator` names the branch it was sampled from, as OpenAPI
 * says a client does: openapi-sampler takes the first branch and fills its discriminator property
 * with a placeholder (`"string"`) where the branch declares no value — ory kratos's login body,
 * told apart by the mapping alone. The value is the mapping key whose target is the first branch,
 * else that branch's schema name.
 */
function nameBranch(value: unknown, schema: Node, spec: Spec): unknown {
  const s = spec.deref(schema);
  const property = s?.discriminator?.propertyName;
  const first = (Array.isArray(s?.oneOf) ? s.oneOf : Array.isArray(s?.anyOf) ? s.anyOf : [])[0];
  const ref: unknown = first?.$ref;
  if (typeof property !== 'string' || typeof ref !== 'string' || !value || typeof value !== 'object')
    return value;
  if (Array.isArray(value) || declaresValues(first, property, spec)) return value;
  const name = (target: string) => target.split('/').pop();
  const mapping: Record<string, unknown> = s.discriminator.mapping ?? {};
  const key = Object.entries(mapping).find(
    ([, t]) => typeof t === 'string' && (t === ref || name(t) === name(ref)),
  )?.[0];
  return { ...(value as Record<string, unknown>), [property]: key ?? name(ref) };
}

/**
 * A sample of a schema from openapi-sampler (examples and defaults of the
 * schema first). `minimal` leaves out optional properties, as a client that
 * sends what is needed does, unless that would go below `minProperties`.
 * An object whose `oneOf`/`anyOf` branches only list required properties
 * gets one branch's properties whole ({@link takeBranch}); a union with a discriminator names
 * the branch sampled ({@link nameBranch}).
 */
export function sampleSchema(schema: Node, spec: Spec, minimal = false): unknown {
  const options = (skipNonRequired: boolean) =>
    ({ skipReadOnly: true, skipNonRequired, quiet: true, enablePatterns: true }) as never;
  let value = nameBranch(sample(schema, options(minimal), spec.bundled), schema, spec);
  const choice = requiredChoice(schema, spec);
  if (choice) {
    const full = minimal ? nameBranch(sample(schema, options(false), spec.bundled), schema, spec) : value;
    if (full && typeof full === 'object' && !Array.isArray(full))
      value = takeBranch(value, full as Record<string, unknown>, choice);
  }
  const min = spec.deref(schema)?.minProperties;
  if (
    minimal &&
    value &&
    typeof value === 'object' &&
    typeof min === 'number' &&
    Object.keys(value).length < min
  )
    return sampleSchema(schema, spec, false);
  return value;
}
