import type { ResourceModel } from './api-model.js';
import { readableFields } from './json-schemas.js';
import { propKey } from './ts-types.js';

/** How the DELETE route answers when the spec declares a JSON object for it. */
export interface RemovedAnswerView {
  /** Whether the answer needs the removed row (read before the delete), not just its key. */
  needsRow: boolean;
  /** A TypeScript object literal over `id` (the key) and `row` (the removed row). */
  body: string;
  /**
   * The key the answer wraps the removed row under (lago's `{ tax: {…} }`): the route answers the
   * row as its other answers do, under that key, and `body` is unused.
   */
  wrap?: string;
}

/**
 * The body of a DELETE answer the spec declares as an object (resend's
 * `{ object: 'api_key', id, deleted: true }`): the key under its name, the
 * removed row's value for each property the row has (left out when null,
 * as other answers do), and the spec's fixed value for the others
 * (`const`, `example`, `default`, …; see `ServedAnswer.removed`).
 * Undefined when the spec answers no body, or not an object.
 */
export function removedAnswerView(r: ResourceModel): RemovedAnswerView | undefined {
  const wrap = r.served?.answers.delete?.wrap;
  if (wrap !== undefined) return { needsRow: true, body: '', wrap };
  const shape = r.served?.answers.delete?.removed;
  if (!shape) return undefined;
  const idName = r.idName ?? 'id';
  const fields = new Map(readableFields(r).map((f) => [f.name, f]));
  let needsRow = false;
  const parts: string[] = [];
  for (const p of shape) {
    const key = propKey(p.name);
    const fixed = p.value === undefined ? undefined : JSON.stringify(p.value);
    if (p.name === idName) {
      parts.push(`${key}: id`);
      continue;
    }
    const field = fields.get(p.name);
    if (field) {
      needsRow = true;
      const value = `row[${JSON.stringify(p.name)}]`;
      parts.push(
        p.required && fixed !== undefined
          ? `${key}: ${value} ?? ${fixed}`
          : `...(${value} == null ? {} : { ${key}: ${value} })`,
      );
      continue;
    }
    // The timestamps tenon keeps are no fields, but every row has them: karakeep's DELETE answer
    // declares createdAt (date-time), and the zero of its type ("") was answered instead.
    const stamp = p.name === r.createdAtName || p.name === r.updatedAtName;
    if (stamp && !r.unanswered?.includes(p.name)) {
      needsRow = true;
      parts.push(`${key}: row[${JSON.stringify(p.name)}]`);
      continue;
    }
    if (fixed !== undefined) parts.push(`${key}: ${fixed}`);
  }
  return { needsRow, body: `{ ${parts.join(', ')} }` };
}
