import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { modelFromOpenApi } from '../../src/scaffold/from-openapi.js';
import { diffModels } from '../../src/scaffold/migration-diff.js';
import { columnDefinition } from '../../src/scaffold/migration-sql.js';
import { exampleFits } from '../../src/scaffold/test-samples.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

/**
 * Properties the answers require that no request sets, readOnly, without example or default
 * (unset-required-answers.yaml). A string got `''`; an object with required properties and a
 * list of at least one item got a nullable column whose NULL the answers left out, which the
 * spec's `required` refuses. Each now gets a stored value its schema accepts, and a report line.
 */
describe('modelFromOpenApi: answers that require what no request sets', () => {
  const { model, warnings } = modelFromOpenApi('unset-required-answers.yaml', fixtures);
  const widget = model.resources.find((r) => r.name === 'Widget')!;
  const field = (name: string) => widget.fields.find((f) => f.name === name)!;
  const messages = warnings.map((w) => w.message);

  it('a free string: the zero of its type, a NOT NULL column with that default', () => {
    expect(field('createdBy').default).toBe('');
    expect(columnDefinition(field('createdBy'), model.resources)).toBe(`created_by text default '' not null`);
    expect(messages).toContainEqual(expect.stringMatching(/^Widget\.createdBy .* the server sets ""/));
  });

  it('a value whose zero the schema refuses (minimum 1, a pattern): a sample of its schema', () => {
    expect(field('rank').default).toBe(1);
    expect(field('code').default).toMatch(/^W-[0-9]{4}$/);
    expect(columnDefinition(field('rank'), model.resources)).toMatch(/^rank integer default 1 not null/);
    expect(messages).toContainEqual(
      expect.stringMatching(/^Widget\.rank .* the database sets 1 \(a sample of its schema\)/),
    );
  });

  it('an object with required properties and a list of at least one: a sample the schema accepts, as the default', () => {
    const audit = JSON.parse(field('audit').jsonDefault!);
    const history = JSON.parse(field('history').jsonDefault!);
    const { readOnly: _a, ...auditSchema } = field('audit').jsonSchema!;
    const { readOnly: _h, ...historySchema } = field('history').jsonSchema!;
    expect(exampleFits(audit, auditSchema)).toBe(true);
    expect(audit.revision).toBeGreaterThanOrEqual(1);
    expect(exampleFits(history, historySchema)).toBe(true);
    expect(history).toHaveLength(1);
    expect(columnDefinition(field('audit'), model.resources)).toBe(
      `audit jsonb default '${field('audit').jsonDefault}'::jsonb`,
    );
    expect(messages).toContainEqual(
      expect.stringMatching(/^Widget\.audit .* the database sets \{.*\(a sample of its schema\)/),
    );
    expect(messages).toContainEqual(
      expect.stringMatching(/^Widget\.history .* the database sets \[.*\(a sample of its schema\)/),
    );
    expect(messages.filter((m) => m.includes('the answer leaves it out'))).toEqual([]);
  });

  it('a later model that drops the sample drops the column default, and back', () => {
    const before = structuredClone(model);
    const after = structuredClone(model);
    const a = after.resources.find((r) => r.name === 'Widget')!.fields.find((f) => f.name === 'audit')!;
    delete a.jsonDefault;
    const sql = diffModels(before, after);
    expect(sql.up.join('\n')).toContain('alter table widgets alter column audit drop default;');
    expect(sql.down.join('\n')).toContain(
      `alter column audit set default '${field('audit').jsonDefault}'::jsonb;`,
    );
    expect(sql.name).toContain('alter_widgets_audit');
  });
});
