import type { FieldModel, ResourceModel } from './api-model.js';
import { columnNullable, inputFields } from './json-schemas.js';

/**
 * The fields a replace (PUT) resets to their column's default when its body
 * leaves them out: those the PUT body declares whose column takes the reset
 * (nullable, or with a database default). The others keep the stored value —
 * a property the PUT body does not declare (Typesense's `AnalyticsRuleUpdate`
 * has no `type` or `collection`), or one it declares but does not require
 * while the row does (`ConversationModelUpdateSchema`'s `model_name`): the
 * client cannot send the first and may leave out the second, and resetting
 * either would refuse a spec-valid PUT with a NOT NULL violation (400).
 */
export function replaceResets(resource: ResourceModel): FieldModel[] {
  return inputFields(resource, 'update').filter(
    (f) =>
      columnNullable(f) ||
      (f.default !== undefined && f.default !== null && f.kind !== 'json') ||
      f.serverDefault !== undefined,
  );
}
