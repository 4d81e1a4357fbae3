import type { ResourceModel } from './api-model.js';
import type { AnswerShape, ShapedKind } from './serving-model.js';
import { propKey } from './ts-types.js';

/** What the templates need of an operation's own answer shape (answer-shapes.ts). */
export interface ShapeView {
  /** The item's serialization schema. */
  schema: Record<string, unknown>;
  /** The key the spec wraps the answer under, if any (`{ "campaign": … }`). */
  wrap?: string;
  /** The routes' response schema: the envelope's, the wrapped one's or the item's, from `s.shapes`. */
  schemaExpr: string;
  /** Properties derived from the row as GET answers it (`shaped()` in http/answer-shape.ts), if any. */
  derive?: AnswerShape['derive'];
  /**
   * The properties a generated test compares with what it sent (as keys in TypeScript): those the
   * answer carries, but objects derived from the ids sent (`[{ id: 1 }]` for `[1]`).
   */
  answered: string[];
}

/**
 * The create, update and patch answers, and the list items, of a resource that the spec declares
 * in a shape of their own. (A list's routes serialize through `s.list`, `s.items` or `s.page`,
 * which schemas.ts builds on the shaped item; `schemaExpr` is the item's.)
 */
export function shapeView(r: ResourceModel): Partial<Record<ShapedKind, ShapeView>> {
  const out: Partial<Record<ShapedKind, ShapeView>> = {};
  for (const [kind, shape] of Object.entries(r.served?.shapes ?? {}) as [ShapedKind, AnswerShape][]) {
    const answer = r.served!.answers[kind];
    const wrap = answer?.wrap;
    const which = answer?.envelope ? 'one' : wrap !== undefined ? 'wrapped' : 'item';
    out[kind] = {
      schema: shape.schema,
      ...(wrap !== undefined ? { wrap } : {}),
      schemaExpr: `s.shapes.${kind}.${which}`,
      ...(shape.derive ? { derive: shape.derive } : {}),
      answered: Object.keys((shape.schema.properties as Record<string, unknown> | undefined) ?? {})
        .filter((name) => shape.derive?.[name] !== 'objects')
        .map(propKey),
    };
  }
  return out;
}
