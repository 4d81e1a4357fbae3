import type { ResourceModel } from './api-model.js';
import { columnNullable, includableRelations, readableFields, relationName } from './json-schemas.js';

/**
 * The properties of a resource's answers that are left out when their
 * column is NULL: optional in the answers, and not allowed to be null there
 * (non-nullable in the resource's schema, or in some answer's schema:
 * `answeredNonNullable`). Their column is nullable because a create may
 * leave them out; a null in the answer would break the document the app
 * serves, in spec serving and with `--conventions` alike. Empty for
 * resource-DSL projects (an optional field is nullable there).
 */
export function omittedWhenNull(resource: ResourceModel): string[] {
  return readableFields(resource)
    .filter((f) => (!f.nullable || f.answeredNonNullable) && columnNullable(f))
    .map((f) => f.name);
}

/**
 * The same lists for the rows a resource embeds with `?include=`: by the
 * property the related row appears under, that row's resource's own list.
 * Relations whose rows have nothing to leave out are not listed.
 */
export function omittedWhenNullEmbedded(
  resource: ResourceModel,
  all: readonly ResourceModel[],
): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const f of includableRelations(resource)) {
    const target = all.find((r) => r.name === f.ref);
    const names = target ? omittedWhenNull(target) : [];
    if (names.length > 0) out[relationName(f)] = names;
  }
  return out;
}
