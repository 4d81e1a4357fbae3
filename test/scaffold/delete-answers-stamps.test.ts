import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { modelFromOpenApi } from '../../src/scaffold/from-openapi.js';
import { removedAnswerView } from '../../src/scaffold/removed-answer.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

/**
 * karakeep's `DELETE /highlights/{highlightId}` answers the removed highlight, whose schema requires
 * `createdAt` (date-time). The timestamp is tenon's bookkeeping column, not a field, so the answer
 * wrote the zero of its type, `createdAt: ""`, which is no date-time (the oracle's violation).
 */
describe('removedAnswerView: the timestamps of the removed row', () => {
  it('answers the row´s own createdAt, not a made-up value', () => {
    const { model } = modelFromOpenApi('delete-answers-stamps.yaml', fixtures);
    const note = model.resources.find((r) => r.name === 'Note')!;
    const view = removedAnswerView(note)!;
    expect(view.needsRow).toBe(true);
    expect(view.body).toContain('createdAt: row["createdAt"]');
    expect(view.body).not.toContain('createdAt: ""');
  });
});
