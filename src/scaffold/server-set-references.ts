import type { ModelWarning, ResourceModel } from './api-model.js';
import { findResource, type ReferenceCandidate } from './check-model.js';

/**
 * Unlinks the references a create cannot give that got a constant value from the server
 * (karakeep's `Bookmark.userId`: required in answers, taken by no create, beside a `User`
 * resource; or, without a create, by the PUT body). A foreign key filled with `''` or `0` names no row: every create would answer 400
 * "refers to a User that does not exist". Tenon's accounts (`auth_users`) are not the spec's
 * resource, so the caller's account cannot fill it either; the answers require a value, so the
 * column keeps the server's constant (and the answers stay valid) as a plain column without a
 * foreign key, and the report says so: the service sets the real value. A reference the answers
 * do not require gets no default already (a nullable foreign key the service fills).
 * Runs before {@link linkReferences}, which then skips the candidates it cleared.
 */
export function unlinkServerSetReferences(
  resources: readonly ResourceModel[],
  candidates: ReferenceCandidate[][],
  warnings: ModelWarning[],
): void {
  resources.forEach((resource, i) => {
    // Without a POST create, the PUT body is the only write (an upsert, put-creates.ts): netbird's
    // peers got the example 'google-oauth2|…' for user_id and kept the foreign key, so every PUT
    // that created a peer answered 400.
    const bodies = resource.served?.bodies;
    const create = bodies?.create ?? (resource.served?.answers.create ? undefined : bodies?.update);
    if (!create) return;
    for (const c of candidates[i] ?? []) {
      if (!c.refHint || c.system || create.properties.includes(c.field.name)) continue;
      const { field } = c;
      if (field.default === undefined || field.default === null) continue;
      const target = findResource(resources, c.refHint);
      if (!target) continue;
      c.refHint = undefined;
      c.refExplicit = false;
      warnings.push({
        at: `${resource.source} (${resource.name}.${field.name})`,
        message: `${resource.name}.${field.name} names a ${target.name}, but the create does not take it and the answers require it: the server's ${JSON.stringify(field.default)} could name no ${target.name}, so it is a plain column, not a foreign key to ${target.table}; set the real value in src/resources/${resource.kebab}.service.ts.`,
      });
    }
  });
}
