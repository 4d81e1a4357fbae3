import { describe, expect, it } from 'vitest';
import type { FieldModel } from '../../src/scaffold/api-model.js';
import { overBudget } from '../../src/scaffold/input-sample.js';

const field = (name: string, required = false): FieldModel =>
  ({ name, kind: 'string', required, nullable: !required }) as FieldModel;

// listmonk's language pack: ~800 optional text columns, whose sample row PostgreSQL refused
// ("row is too big: size 10768, maximum size 8160").
describe('overBudget', () => {
  const fields = Array.from({ length: 800 }, (_, i) => field(`campaigns.field_${i}`, i === 799));
  const sample = fields.map((f) => ({ name: f.name, expr: `fit(\`${f.name}-\${n}\`, 0, 200)` }));

  it('leaves optional fields out past what fits one row, never a required one', () => {
    const dropped = overBudget(fields, sample);
    expect(dropped.size).toBeGreaterThan(500);
    expect(dropped.has('campaigns.field_0')).toBe(false);
    expect(dropped.has('campaigns.field_799')).toBe(false);
    const kept = fields.filter((f) => !dropped.has(f.name));
    expect(kept.reduce((n, f) => n + f.name.length + 10, 0)).toBeLessThan(8160);
  });

  it('keeps every field of an ordinary row', () => {
    expect(overBudget(fields.slice(0, 40), sample.slice(0, 40)).size).toBe(0);
  });
});
