import { describe, expect, it } from 'vitest';
import { SQL_KEYWORDS } from '../../../src/core/sql/keywords.js';
import { isPlainIdentifier, quoteIdent, quoteLiteral, quoteQualified } from '../../../src/core/sql/quote.js';
import { QUOTE_IDENT_CASES } from './quote-cases.js';

describe('quoteIdent', () => {
  it.each(QUOTE_IDENT_CASES)('%j → %s, as quote_ident() writes it', (name, quoted) => {
    expect(quoteIdent(name)).toBe(quoted);
  });

  it('quotes every key word except the unreserved ones', () => {
    for (const [word, category] of SQL_KEYWORDS) {
      expect([word, quoteIdent(word)]).toEqual([word, category === 'U' ? word : `"${word}"`]);
    }
  });

  it('quotes the words the old copies missed, and PostgreSQL 16+ key words', () => {
    for (const word of ['left', 'right', 'join', 'verbose', 'collation', 'system_user', 'json_table'])
      expect(isPlainIdentifier(word)).toBe(false);
  });
});

describe('quoteQualified', () => {
  it('quotes each part as needed', () => {
    expect(quoteQualified('public', 'users')).toBe('public.users');
    expect(quoteQualified('public', 'user')).toBe('public."user"');
    expect(quoteQualified('Sales', 'order items', 'id')).toBe('"Sales"."order items".id');
  });
});

describe('quoteLiteral', () => {
  it('writes what quote_literal() writes', () => {
    expect(quoteLiteral("it's")).toBe("'it''s'");
    expect(quoteLiteral('a\\b')).toBe("E'a\\\\b'");
    expect(quoteLiteral("a\\'b")).toBe("E'a\\\\''b'");
    expect(quoteLiteral('')).toBe("''");
    expect(quoteLiteral('naïve ✓')).toBe("'naïve ✓'");
  });

  it('drops NUL, which PostgreSQL text cannot hold', () => {
    expect(quoteLiteral('nul\0byte')).toBe("'nulbyte'");
  });
});
