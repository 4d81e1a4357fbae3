import { basename } from 'node:path';
import type { ModelWarning, ResourceModel } from './api-model.js';
import { child, isObject, type JsonObject, type Located, type SpecFiles } from './openapi-loader.js';
import { type NormalizedSchema, normalizeSchema, toStandaloneSchema } from './openapi-schema.js';

/** A schema's name: the component's, else its file's when it is a whole file (`./Beverage.yaml`). */
function nameOf(schema: NormalizedSchema): string | undefined {
  if (schema.refName) return schema.refName;
  return schema.loc.pointer === '' ? basename(schema.loc.file).replace(/\.(ya?ml|json)$/i, '') : undefined;
}

/** The string values a property schema allows when it is a `const` or a string `enum`, else undefined. */
function stringValues(schema: JsonObject): string[] | undefined {
  if (typeof schema.const === 'string') return [schema.const];
  if (Array.isArray(schema.enum) && schema.enum.every((v) => typeof v === 'string'))
    return schema.enum as string[];
  return undefined;
}

/**
 * A resource whose schema is a `oneOf`/`anyOf` of object branches (Redocly's cafe:
 * `MenuItem: oneOf [Beverage, Dessert]`, discriminated by `category`) as one table:
 * a column for every property of any branch, null where a row's branch has none.
 * A property declared alike in every branch keeps its schema; one whose branches
 * each allow some strings (the discriminator's `const: beverage`, `const: dessert`)
 * is the enum of them all; one the branches declare otherwise is a JSON value
 * valid against any of them. A property is required when every branch requires
 * it (or the union itself does); what one branch alone requires is written into
 * `union` (the discriminator and each branch's values and required properties).
 * Undefined when a branch is not an object with properties, or no discriminator
 * tells the branches apart: such a union cannot be a table.
 */
export function unionOfBranches(
  files: SpecFiles,
  norm: NormalizedSchema,
  warnings: ModelWarning[],
  union: Partial<NonNullable<ResourceModel['union']>> = {},
): NormalizedSchema | undefined {
  const key = Array.isArray(norm.schema.oneOf) ? 'oneOf' : 'anyOf';
  const alternatives = norm.schema[key];
  if (!Array.isArray(alternatives) || alternatives.length === 0) return undefined;
  const branches = alternatives.map((node, i) =>
    normalizeSchema(files, { node, file: norm.loc.file, pointer: child(norm.loc.pointer, key, i) }),
  );
  if (
    branches.some(
      (b) =>
        b.schema.oneOf !== undefined ||
        b.schema.anyOf !== undefined ||
        !isObject(b.schema.properties) ||
        (b.schema.type !== undefined && b.schema.type !== 'object'),
    )
  )
    return undefined;
  const names = [...new Set(branches.flatMap((b) => Object.keys(b.schema.properties as JsonObject)))];
  // The discriminator tells a row's branch: the spec's propertyName, else a property every branch
  // gives its own strings (`category: const beverage`). A union without one stays unsupported: its
  // branches could not be told apart, so no body could be checked against the right one.
  const declared = isObject(norm.schema.discriminator) ? norm.schema.discriminator.propertyName : undefined;
  const valuesOf = (b: NormalizedSchema, name: string): string[] | undefined => {
    const loc = b.propertyLocations[name];
    return loc ? stringValues(toStandaloneSchema(files, loc)) : undefined;
  };
  const property = [...(typeof declared === 'string' ? [declared] : []), ...names].find((name) => {
    const all = branches.map((b) => valuesOf(b, name));
    if (all.some((v) => v === undefined)) return false;
    const flat = all.flat() as string[];
    return new Set(flat).size === flat.length;
  });
  if (property === undefined) return undefined;
  const requiredBy = (b: NormalizedSchema) =>
    new Set(Array.isArray(b.schema.required) ? b.schema.required.map(String) : []);
  const own = Array.isArray(norm.schema.required) ? norm.schema.required.map(String) : [];
  const properties: JsonObject = {};
  const propertyLocations: Record<string, Located> = {};
  for (const name of names) {
    const declared = branches
      .map((b) => b.propertyLocations[name])
      .filter((loc): loc is Located => loc !== undefined);
    const first = declared[0]!;
    const standalone = declared.map((loc) => toStandaloneSchema(files, loc));
    const same = standalone.every((s) => JSON.stringify(s) === JSON.stringify(standalone[0]));
    const values = standalone.map(stringValues);
    let loc: Located = first;
    if (!same && values.every((v) => v !== undefined)) {
      // The discriminator: each branch's constant, together one enum.
      const { const: _c, enum: _e, ...rest } = standalone[0]!;
      loc = { ...first, node: { ...rest, type: 'string', enum: [...new Set(values.flat() as string[])] } };
    } else if (!same) {
      loc = { ...first, node: { anyOf: standalone } };
    }
    properties[name] = loc.node;
    propertyLocations[name] = loc;
  }
  const required = names.filter((n) => own.includes(n) || branches.every((b) => requiredBy(b).has(n)));
  union.property = property;
  union.branches = branches.map((b) => ({
    values: valuesOf(b, property)!,
    required: [...requiredBy(b)].filter((n) => !required.includes(n)),
  }));
  const { oneOf: _o, anyOf: _a, discriminator: _d, required: _r, ...rest } = norm.schema;
  const branchNames = branches.map((b, i) => nameOf(b) ?? `${key}/${i}`);
  warnings.push({
    at: files.where(norm.loc),
    code: 'union-resource-columns',
    message: `${nameOf(norm) ?? 'the resource'} is a ${key} of ${branchNames.join(', ')}: one table, a column for every property of any branch (null where a row's branch has none); a body is checked against the branch its ${property} names: the properties that branch requires.`,
    hint: 'Check the branch of a row in the service (src/resources/…service.ts) when the branches must stay apart.',
  });
  return {
    ...norm,
    schema: { ...rest, type: 'object', properties, ...(required.length > 0 ? { required } : {}) },
    propertyLocations,
  };
}
