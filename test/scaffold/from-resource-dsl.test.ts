import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ResourceModel } from '../../src/scaffold/api-model.js';
import { modelFromOpenApi } from '../../src/scaffold/from-openapi.js';
import { modelFromResourceDsl } from '../../src/scaffold/from-resource-dsl.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const blog = readFileSync(`${fixtures}blog.resources`, 'utf8');

function essentials(r: ResourceModel) {
  return {
    name: r.name,
    plural: r.plural,
    table: r.table,
    idKind: r.idKind,
    operations: r.operations,
    fields: r.fields,
  };
}

describe('modelFromResourceDsl', () => {
  it('parses the issue example', () => {
    const { model } = modelFromResourceDsl(
      'Post(title:string:max=200, body:text, status:enum(draft|published)), Comment(post:ref(Post), body:text)',
    );
    expect(model.resources.map((r) => r.name)).toEqual(['Post', 'Comment']);
    expect(model.resources[1]!.fields[0]).toMatchObject({
      name: 'postId',
      column: 'post_id',
      ref: 'Post',
      kind: 'bigint',
      indexed: true,
    });
    expect(model.resources[0]!.fields[2]).toMatchObject({
      kind: 'enum',
      enumValues: ['draft', 'published'],
      required: true,
    });
  });

  it('produces the same model as the equivalent OpenAPI spec', () => {
    const dsl = modelFromResourceDsl(blog).model.resources.map(essentials);
    const spec = modelFromOpenApi('blog.yaml', fixtures).model.resources.map(essentials);
    expect(dsl).toEqual(spec);
  });

  it('reads options and modifiers', () => {
    const { model } = modelFromResourceDsl(
      'Order[owned, table=shop_orders](code:string:unique:pattern=^[A-Z]+$, total:decimal:min=0, note?:text, paid:bool:default=false, placedOn:date:index, nick:string:from=alias:nofilter:nosort)',
    );
    const order = model.resources[0]!;
    expect(order).toMatchObject({ owned: true, table: 'shop_orders' });
    expect(order.fields.map((f) => [f.name, f.kind])).toEqual([
      ['code', 'string'],
      ['total', 'decimal'],
      ['note', 'text'],
      ['paid', 'boolean'],
      ['placedOn', 'date'],
      ['nick', 'string'],
    ]);
    expect(order.fields[0]).toMatchObject({ unique: true, pattern: '^[A-Z]+$' });
    expect(order.fields[2]).toMatchObject({ required: false, nullable: true });
    expect(order.fields[3]).toMatchObject({ default: false });
    expect(order.fields[4]).toMatchObject({ indexed: true });
    expect(order.fields[5]).toMatchObject({ renamedFrom: 'alias', filterable: false, sortable: false });
  });

  it.each([
    ['Post(title)', /needs a name and a type/],
    ['Post(title:strin)', /unknown type "strin"/],
    ['Post(title:string:maxx=3)', /unknown modifier "maxx=3"/],
    ['Post(title:string', /missing "\)"/],
    ['Post(a:string) Comment(b:string)', /expected "," between resources/],
    ['Comment(post:ref(Nope))', /refers to "Nope", which is not a resource/],
    ['Date(day:date)', /TypeScript reserved word/],
    ['Post(userId:int, user_id:int)', /both become the column "user_id"/],
    ['Post(a:string), post(b:string)', /same name "post"/],
    ['Post(s:enum(a|a))', /repeats a value/],
  ])('rejects %s clearly', (text, message) => {
    expect(() => modelFromResourceDsl(text)).toThrow(message);
  });

  it('says where the mistake is', () => {
    try {
      modelFromResourceDsl('Post(title:string), Comment(body:txt)');
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).toMatch(/^--resources, column \d+: unknown type "txt"/);
    }
  });
});
