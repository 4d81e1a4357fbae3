import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { modelFromOpenApi } from '../../src/scaffold/from-openapi.js';
import { replaceResets } from '../../src/scaffold/replace-resets.js';
import { wrapView } from '../../src/scaffold/wrapped-view.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

/**
 * A PUT body narrower than the row (Typesense's `AnalyticsRuleUpdate`,
 * `ConversationModelUpdateSchema`): before, a replace reset every writable
 * column it left out, and `{}` — spec-valid, the body requires nothing —
 * answered 400 with the NOT NULL violation of `kind` and `collection`.
 */
describe('replaceResets: what a PUT that leaves a property out resets', () => {
  const { model } = modelFromOpenApi('put-partial-body.yaml', fixtures);
  const rule = model.resources.find((r) => r.name === 'RuleCreate')!;

  it('is CRUD, the PUT validated by its own body', () => {
    expect(rule.operations).toMatchObject({ create: true, read: true, update: true, delete: true });
    expect(rule.served?.bodies?.update).toMatchObject({
      properties: ['name', 'collection', 'note'],
      required: [],
    });
  });

  it('resets only the nullable properties the PUT body declares; keeps required and undeclared ones', () => {
    // kind (undeclared, required), weight (undeclared), collection (declared, required by the row), name (the key) stay.
    expect(replaceResets(rule).map((f) => f.name)).toEqual(['note']);
  });

  it('has the generated tests send a PUT only what its body declares (the create’s kind was a 400)', () => {
    const wrap = wrapView(rule);
    expect(wrap.send('update', 'input')).toBe(
      'Object.fromEntries(Object.entries(input).filter(([k]) => ["name","collection","note"].includes(k)))',
    );
    expect(wrap.send('create', 'input')).toBe('input');
    expect(wrap.sends('update', 'kind')).toBe(false);
    expect(wrap.sends('update', 'collection')).toBe(true);
    expect(wrap.sendLater('create')).toBe('');
    expect(wrap.sendLater('update')).toMatch(/^\.then\(\(fields\) => Object\.fromEntries/);
  });
});
