import { describe, expect, it } from 'vitest';
import { rawBodyTs } from '../../src/scaffold/raw-body.js';
import { rawBody } from '../../templates/common/src/http/body-media.js';
// The generated projects' own code (a template file that imports nothing generated).
import { isTextSchema, parseJsonText } from '../../templates/common/src/http/request-guards.js';

/**
 * An `application/json` body whose schema is a string (Typesense's stemming dictionary import,
 * fixtures/text-json-body.yaml): its JSONL example, sent as it is (and as prism forwards a JSON
 * string), answered 400 INVALID_JSON. Both frameworks read such bodies with parseJsonText.
 */
describe('parseJsonText: the body of a JSON string schema', () => {
  const jsonl = '{"word": "people", "root": "person"}\n{"word": "children", "root": "child"}\n';

  it('takes a JSON string as its value and any other text as the string itself', () => {
    expect(parseJsonText(JSON.stringify(jsonl))).toBe(jsonl);
    expect(parseJsonText(jsonl)).toBe(jsonl);
    expect(parseJsonText('\ufeff"x"')).toBe('x');
    // Text that starts like a string but is more than one: the text, not a parse error.
    expect(parseJsonText('"a"\n"b"')).toBe('"a"\n"b"');
    expect(parseJsonText('42')).toBe('42');
  });

  it('applies to string schemas only', () => {
    expect(isTextSchema({ type: 'string', maxLength: 10 })).toBe(true);
    expect(isTextSchema({ type: 'object' })).toBe(false);
    expect(isTextSchema(undefined)).toBe(false);
  });
});

describe('rawBody: an upload body as its handler gets it', () => {
  it('is a string for text types and the bytes for others; the input type says so', () => {
    expect(rawBody(Buffer.from('a\nb'), 'text/plain; charset=utf-8')).toBe('a\nb');
    expect(Buffer.isBuffer(rawBody(Buffer.from([0, 255]), 'application/octet-stream'))).toBe(true);
    expect(Buffer.isBuffer(rawBody(Buffer.from('x'), undefined))).toBe(true);
    expect(rawBodyTs(['text/plain'])).toBe('string');
    expect(rawBodyTs(['text/plain', 'application/octet-stream'])).toBe('Buffer | string');
    expect(rawBodyTs(['image/*'])).toBe('Buffer');
  });
});
