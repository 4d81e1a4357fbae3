import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import type { Schema } from '../../src/scaffold/json-schemas.js';
import { schemaToTs } from '../../src/scaffold/ts-types.js';

/** tsc's diagnostics for one in-memory file (strict), as "TSnnnn: message" lines. */
function typeErrors(source: string): string[] {
  const name = '/virtual/check.ts';
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (file, version) =>
    file === name ? ts.createSourceFile(file, source, version) : read(file, version);
  const program = ts.createProgram([name], options, host);
  return ts
    .getPreEmitDiagnostics(program, program.getSourceFile(name))
    .map((d) => `TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
}

const base: Schema = { type: 'object', properties: { tax_code: { type: 'string' } } };

// Each check builds a TypeScript program over the ES2022 lib files: seconds each, more on a loaded machine.
describe('schemaToTs keeps the properties written beside a composition', { timeout: 60_000 }, () => {
  it('allOf with sibling properties is both (a fixture setting the sibling compiles)', () => {
    const ts = schemaToTs({ allOf: [base], type: 'object', properties: { fee_id: { type: 'string' } } });
    expect(typeErrors(`const fee: ${ts} = { tax_code: 'VAT', fee_id: 'f1' };\nvoid fee;`)).toEqual([]);
    // Still a type, not `any`: a property neither part declares is refused.
    expect(typeErrors(`const fee: ${ts} = { tax_code: 'VAT', other: 1 };\nvoid fee;`).join()).toContain(
      'TS2353',
    );
  });

  it('allOf of enums is their intersection, each in parentheses (netbird’s ResourceType)', () => {
    const kind = schemaToTs({
      allOf: [
        { type: 'string', enum: ['host', 'subnet', 'domain'] },
        { type: 'string', enum: ['subnet', 'domain', 'peer'] },
      ],
    });
    expect(kind).toBe('("host" | "subnet" | "domain") & ("subnet" | "domain" | "peer")');
    expect(typeErrors(`const k: ${kind} = 'subnet';\nvoid k;`)).toEqual([]);
    expect(typeErrors(`const k: ${kind} = 'host';\nvoid k;`).join()).toContain('TS2322');
  });

  it('a union with siblings needs both; a lone union stays a bare union', () => {
    const union = schemaToTs({
      oneOf: [
        { type: 'object', properties: { card: { type: 'string' } }, required: ['card'] },
        { type: 'object', properties: { iban: { type: 'string' } }, required: ['iban'] },
      ],
      properties: { amount: { type: 'integer' } },
      required: ['amount'],
    });
    expect(typeErrors(`const p: ${union} = { card: '4242', amount: 5 };\nvoid p;`)).toEqual([]);
    expect(typeErrors(`const p: ${union} = { card: '4242' };\nvoid p;`).join()).toContain('TS2322');
    expect(schemaToTs({ anyOf: [{ type: 'string' }, { type: 'integer' }] })).toBe('string | number');
  });
});

describe('schemaToTs on deeply nested objects', () => {
  it('converts each object once: 40 levels of nesting give one type per level, at once', () => {
    // Every object without composition was converted twice (once by the composition check, once
    // by the caller), so the work doubled per level: homebox's answers (~20 levels once their
    // recursion is unrolled) never finished generating. At 40 levels that is 2^40 conversions.
    let schema: Schema = { type: 'object', properties: { leaf: { type: 'string' } } };
    for (let i = 0; i < 40; i++)
      schema = { type: 'object', properties: { next: schema, n: { type: 'integer' } } };
    const text = schemaToTs(schema);
    expect(text.match(/next\?:/g)).toHaveLength(40);
    expect(text).toContain('leaf?: string;');
  });
});
