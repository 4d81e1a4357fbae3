import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { modelFromOpenApi } from '../../src/scaffold/from-openapi.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

// listmonk's list answers: `{ data: { results: [...], total, page, per_page } }`.
describe('modelFromOpenApi: a page object nested in the data envelope', () => {
  const { model, warnings } = modelFromOpenApi('nested-page.yaml', fixtures);
  const byPlural = (plural: string) => model.resources.find((r) => r.plural === plural)!;

  it('reads the resource from the nested items, and answers the list in the spec´s shape', () => {
    const list = byPlural('lists');
    expect(list.fields.map((f) => f.name)).toEqual(['name']);
    const answer = list.served!.answers.list!;
    expect(answer.envelope).toBe(false);
    expect(answer.page!.items).toBe('results');
    expect(answer.page!.values).toEqual([
      {
        name: 'data',
        of: [
          { name: 'results', from: 'items' },
          { name: 'total', from: 'total', notNull: true },
          { name: 'per_page', from: 'limit', notNull: true },
          { name: 'page', from: 'page', notNull: true },
        ],
      },
    ]);
    expect(Object.keys(answer.page!.schemas)).toEqual([]);
    expect(answer.page!.within).toMatchObject({ name: 'data', required: ['results', 'total'] });
    expect(Object.keys(answer.page!.within!.schemas)).toEqual(['query', 'total', 'per_page', 'page']);
  });

  it('keeps tenon´s envelope for a data array, and warns of none there', () => {
    const answer = byPlural('folders').served!.answers.list!;
    expect(answer.envelope).toBe(true);
    expect(answer.page).toBeUndefined();
    expect(warnings.filter((w) => w.code === 'list-answer-not-served' && /folders/.test(w.message))).toEqual(
      [],
    );
  });

  it('warns when the nested object is no page (nothing of a page beside the items) and the envelope is served', () => {
    const answer = byPlural('boxes').served!.answers.list!;
    expect(answer.envelope).toBe(true);
    const warned = warnings.filter((w) => w.code === 'list-answer-not-served');
    expect(warned.map((w) => w.message)).toEqual([
      expect.stringMatching(/^GET \/boxes: the spec's list answer/),
    ]);
    expect(warned[0]!.at).toMatch(/#\/paths\/~1boxes\/get\/responses\/200/);
  });
});
