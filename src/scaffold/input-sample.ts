import type { FieldModel, ResourceModel } from './api-model.js';
import { inputJsonSchema } from './json-schemas.js';
import { exampleFits, sampleExpression, sampleFromSchema } from './test-samples.js';

/**
 * The sample a generated test sends for a field, from the request body's
 * own schema where it differs from the answers' (listmonk's `lists: [0]`
 * where the answers hold `[{ id, name }]`; an answers' sample may carry
 * properties the body's type does not have). `answered` is false when the
 * answer may differ from what was sent (the tests then do not compare them):
 * ids stored as objects, a value stored as a list of one, a value the
 * answers' schema does not take.
 */
export function inputSample(
  r: ResourceModel,
  f: FieldModel,
): { expr: string | undefined; answered: boolean } {
  const expr = sampleExpression(f, f.example);
  if (f.kind !== 'json') return { expr, answered: true };
  const input = inputJsonSchema(r, f);
  if (!input || input === f.jsonSchema) return { expr, answered: true };
  const value = sampleFromSchema(input);
  const answered = !f.idReferences && !f.listOfOne && exampleFits(value, f.jsonSchema ?? {});
  return { expr: JSON.stringify(value), answered };
}

/** What PostgreSQL fits in one heap row, less room for the header, nulls bitmap and system columns. */
const ROW_BUDGET = 6000;

/**
 * The optional fields a sample row leaves out so the row fits a database
 * page (listmonk's language pack: ~800 text columns, "row is too big"):
 * small values are never moved out of the row, so a sample of every column
 * would be refused. Required fields are always kept.
 */
export function overBudget(
  fields: readonly FieldModel[],
  sample: readonly { name: string; expr: string | undefined }[],
): Set<string> {
  const cost = (f: FieldModel, expr: string) =>
    // A text sample is about `<name>-<n>`; others about their literal; 4 bytes of length header each.
    4 + (expr.startsWith('fit(') ? f.name.length + 6 : Math.max(8, expr.length));
  let total = 0;
  const dropped = new Set<string>();
  for (const s of sample) {
    const f = fields.find((x) => x.name === s.name);
    if (!f || s.expr === undefined) continue;
    const bytes = cost(f, s.expr);
    if (!f.required && total + bytes > ROW_BUDGET) dropped.add(s.name);
    else total += bytes;
  }
  return dropped;
}
