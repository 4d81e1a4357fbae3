import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../../src/load/scenario/parse-csv.js';

describe('parseCsv', () => {
  it('reads a header line and rows, with quotes, CRLF and a BOM', () => {
    const text =
      '\uFEFFemail,password,note\r\na@x.io,s3cret,"has, comma"\r\nb@x.io,"say ""hi""","two\nlines"\r\n\r\n';
    expect(parseCsv(text)).toEqual([
      { email: 'a@x.io', password: 's3cret', note: 'has, comma' },
      { email: 'b@x.io', password: 'say "hi"', note: 'two\nlines' },
    ]);
  });

  it('fills missing trailing fields with empty strings', () => {
    expect(parseCsv('a,b\n1\n')).toEqual([{ a: '1', b: '' }]);
  });

  it('rejects an unclosed quote and too many fields', () => {
    expect(() => parseCsv('a\n"open\n')).toThrow('not closed');
    expect(() => parseCsv('a,b\n1,2,3\n')).toThrow('line 2: 3 fields, the header has 2');
  });
});
