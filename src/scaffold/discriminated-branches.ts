import { isObject, type JsonObject } from './openapi-loader.js';

/** The values a branch's discriminator property declares itself (`const`, `enum`), at any `allOf` depth. */
function declaresValues(schema: unknown, property: string): boolean {
  if (!isObject(schema)) return false;
  const own = isObject(schema.properties) ? schema.properties[property] : undefined;
  if (isObject(own) && (own.const !== undefined || Array.isArray(own.enum))) return true;
  return Array.isArray(schema.allOf) && schema.allOf.some((part) => declaresValues(part, property));
}

/** The last segment of a `$ref` or mapping target: the schema's name (`#/components/schemas/Pet` → `Pet`). */
function schemaName(target: string): string {
  return target.split('/').pop() ?? target;
}

/**
 * A `oneOf`/`anyOf` with a `discriminator` (`out`: its standalone form, branches inlined; `node`:
 * the schema as the spec writes it), its branches told apart as OpenAPI says they are: each
 * branch whose discriminator property declares no value of its own gets the values that name it —
 * the `mapping` keys whose target is that branch, else the branch's schema name (OpenAPI's
 * implicit mapping); a branch that declares values and that the mapping names keeps them and
 * takes the mapped ones too. Without this a body of one branch also fits every branch that requires less
 * (ory kratos's login body: a password body fits the passkey branch, which requires only `method`),
 * and `oneOf` refuses every body. A branch given inline (no `$ref`) and named by no mapping key is
 * left as written. The branches are copies (inlined), so they are changed in place.
 */
export function discriminatedBranches(node: JsonObject, out: JsonObject): void {
  const discriminator = node.discriminator;
  if (!isObject(discriminator) || typeof discriminator.propertyName !== 'string') return;
  const property = discriminator.propertyName;
  const mapping = isObject(discriminator.mapping) ? discriminator.mapping : {};
  for (const kind of ['oneOf', 'anyOf'] as const) {
    const written = node[kind];
    const branches = out[kind];
    if (!Array.isArray(written) || !Array.isArray(branches)) continue;
    written.forEach((raw, i) => {
      const branch = branches[i];
      const ref = isObject(raw) && typeof raw.$ref === 'string' ? raw.$ref : undefined;
      if (!isObject(branch) || !ref) return;
      const mapped = Object.entries(mapping)
        .filter(
          ([, target]) =>
            typeof target === 'string' && (target === ref || schemaName(target) === schemaName(ref)),
        )
        .map(([value]) => value);
      // A branch's own values stand unless the mapping names it (kratos's recovery branches each
      // allow `enum: [link, code]`, and the mapping gives each one of them): then both hold.
      const declared = declaresValues(branch, property);
      if (declared && mapped.length === 0) return;
      const values = mapped.length > 0 ? mapped : [schemaName(ref)];
      const required = Array.isArray(branch.required) ? branch.required : [];
      if (isObject(branch.properties) && !declared) {
        const own = branch.properties[property];
        branch.properties = {
          ...branch.properties,
          [property]: { ...(isObject(own) ? own : {}), enum: values },
        };
        if (!required.includes(property)) branch.required = [...required, property];
      } else {
        // A branch made of parts (`allOf`), or with values of its own: the values are one more part.
        const parts = Array.isArray(branch.allOf) ? branch.allOf : [];
        branch.allOf = [...parts, { required: [property], properties: { [property]: { enum: values } } }];
      }
    });
  }
}
