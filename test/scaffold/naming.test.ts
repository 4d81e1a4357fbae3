import { describe, expect, it } from 'vitest';
import {
  FORBIDDEN_FIELD_NAMES,
  pluralize,
  pluralKebab,
  RESERVED_TABLES,
  SYSTEM_COLUMNS,
  singularize,
  TS_RESERVED_TYPE_NAMES,
  toCamel,
  toKebab,
  toPascal,
  toSnake,
  words,
} from '../../src/scaffold/naming.js';

describe('scaffold naming', () => {
  it('splits every spelling of a name into the same words', () => {
    for (const name of ['orderItem', 'OrderItem', 'order_item', 'order-item', 'ORDER_ITEM', ' order  item '])
      expect(words(name)).toEqual(['order', 'item']);
    expect(words('HTTPServerError')).toEqual(['http', 'server', 'error']);
    expect(words('item2Price')).toEqual(['item2', 'price']);
    expect(words('')).toEqual([]);
  });

  it('converts between the cases', () => {
    expect(toPascal('order_item')).toBe('OrderItem');
    expect(toCamel('order-item')).toBe('orderItem');
    expect(toSnake('OrderItem')).toBe('order_item');
    expect(toKebab('orderItem')).toBe('order-item');
    expect(toCamel('')).toBe('');
  });

  it('pluralizes and singularizes regular, -y, sibilant, irregular and uncountable words', () => {
    const pairs = [
      ['category', 'categories'],
      ['box', 'boxes'],
      ['church', 'churches'],
      ['day', 'days'],
      ['post', 'posts'],
      ['person', 'people'],
      ['child', 'children'],
      ['data', 'data'],
      ['series', 'series'],
    ] as const;
    for (const [one, many] of pairs) {
      expect(pluralize(one)).toBe(many);
      expect(singularize(many)).toBe(one);
    }
    expect(singularize('address')).toBe('address');
    expect(singularize('addresses')).toBe('address');
    // -s words whose plural adds -es, against look-alikes that only add -s.
    const ends = [
      ['buses', 'bus'],
      ['minibuses', 'minibus'],
      ['statuses', 'status'],
      ['campuses', 'campus'],
      ['lenses', 'lens'],
    ];
    const alike = [
      ['houses', 'house'],
      ['causes', 'cause'],
      ['databases', 'database'],
      ['releases', 'release'],
      ['abuses', 'abuse'],
    ];
    for (const [many, one] of [...ends, ...alike]) expect(singularize(many!)).toBe(one);
    expect(singularize('analyses')).toBe('analysis');
    expect(singularize('diagnoses')).toBe('diagnosis');
  });

  it('pluralizes the last word of a multi-word name, in kebab case', () => {
    expect(pluralKebab('orderItem')).toBe('order-items');
    expect(pluralKebab('ProductCategory')).toBe('product-categories');
    expect(pluralKebab('')).toBe('');
  });

  it('lists the names the generator refuses', () => {
    expect(TS_RESERVED_TYPE_NAMES.has('date')).toBe(true);
    expect(TS_RESERVED_TYPE_NAMES.has('class')).toBe(true);
    expect(TS_RESERVED_TYPE_NAMES.has('product')).toBe(false);
    expect(FORBIDDEN_FIELD_NAMES.has('__proto__')).toBe(true);
    expect(SYSTEM_COLUMNS).toEqual(new Set(['id', 'created_at', 'updated_at']));
    expect(RESERVED_TABLES.has('tenon_migrations')).toBe(true);
  });
});
