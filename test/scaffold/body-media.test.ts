import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderTemplate } from '../../src/scaffold/render.js';
// The generated projects' own code (template files that import nothing generated).
import {
  bodyKind,
  chooseAnswer,
  parseMultipartBody,
  renderAnswer,
  toCsv,
  type XmlCodec,
  type XmlShape,
} from '../../templates/common/src/http/body-media.js';

const http = resolve('templates/common/src/http');
// xml-body.ts is a template (rendered only for specs that declare XML): rendered here beside copies of
// the files it imports, under node_modules so that fast-xml-parser resolves as in a generated project.
const dir = resolve('node_modules/.cache/tenon-xml-body-test', String(process.pid));
let xml: XmlCodec;

beforeAll(async () => {
  mkdirSync(dir, { recursive: true });
  for (const f of ['body-media.ts', 'errors.ts', 'form-body.ts', 'request-guards.ts'])
    copyFileSync(join(http, f), join(dir, f));
  const source = {
    layer: 'common' as const,
    path: 'src/http/xml-body.ts.eta',
    absolute: join(http, 'xml-body.ts.eta'),
  };
  writeFileSync(join(dir, 'xml-body.ts'), renderTemplate(source, { project: { xml: true } }));
  xml = ((await import(join(dir, 'xml-body.ts'))) as { xmlCodec: XmlCodec }).xmlCodec;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** petstore3's Pet as the generator describes it (src/scaffold/xml-shape.ts). */
const pet: XmlShape = {
  type: 'object',
  name: 'pet',
  properties: {
    id: { type: 'integer', attribute: true },
    name: { type: 'string' },
    category: { type: 'object', properties: { id: { type: 'integer' }, name: { type: 'string' } } },
    photoUrls: { type: 'array', wrapped: true, items: { type: 'string', name: 'photoUrl' } },
    tags: { type: 'array', items: { type: 'object', name: 'tag', properties: { name: { type: 'string' } } } },
    sold: { type: 'boolean' },
  },
};

function failure(fn: () => unknown): { status?: number; code?: string } | undefined {
  try {
    fn();
  } catch (error) {
    return { status: (error as { status?: number }).status, code: (error as { code?: string }).code };
  }
  return undefined;
}

describe('XML bodies of generated projects', () => {
  it('reads the object the spec describes: attributes, wrapped and repeated arrays, types from the shape', () => {
    const text =
      '<?xml version="1.0"?><pet id="7"><name>Rex &amp; &#65;</name><category><id>1</id><name>Dogs</name></category>' +
      '<photoUrls><photoUrl>a</photoUrl><photoUrl>b</photoUrl></photoUrls><tag><name>x</name></tag><tag><name>y</name></tag>' +
      '<sold>false</sold></pet>';
    expect(xml.parse(text, pet)).toEqual({
      id: 7,
      name: 'Rex & A',
      category: { id: 1, name: 'Dogs' },
      photoUrls: ['a', 'b'],
      tags: [{ name: 'x' }, { name: 'y' }],
      sold: false,
    });
    // One element of a wrapped list is still a list; an empty wrapper is the empty list.
    expect(xml.parse('<pet><photoUrls><photoUrl>a</photoUrl></photoUrls></pet>', pet)).toEqual({
      photoUrls: ['a'],
    });
    expect(xml.parse('<pet><photoUrls/></pet>', pet)).toEqual({ photoUrls: [] });
    // Text that is not its property's type stays text, and unknown elements stay: the schema refuses both.
    expect(xml.parse('<pet><category><id>one</id></category><owner>me</owner></pet>', pet)).toEqual({
      category: { id: 'one' },
      owner: 'me',
    });
    expect(xml.parse('  ', pet)).toBeUndefined();
  });

  it('refuses malformed XML, DOCTYPEs (no entity expansion), prototype names, repeated single elements', () => {
    expect(failure(() => xml.parse('<pet><name>a</pet>', pet))).toEqual({ status: 400, code: 'INVALID_XML' });
    expect(failure(() => xml.parse('<pet/><pet/>', pet))).toEqual({ status: 400, code: 'INVALID_XML' });
    const bomb =
      '<!DOCTYPE pet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><pet><name>&b;</name></pet>';
    expect(failure(() => xml.parse(bomb, pet))).toEqual({ status: 400, code: 'INVALID_XML' });
    expect(failure(() => xml.parse('<pet><__proto__><x>1</x></__proto__></pet>', pet))?.status).toBe(400);
    expect(failure(() => xml.parse('<pet constructor="1"/>', pet))?.status).toBe(400);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
    expect(failure(() => xml.parse('<pet><name>a</name><name>b</name></pet>', pet))).toEqual({
      status: 400,
      code: 'VALIDATION_FAILED',
    });
    expect(failure(() => xml.parse('<pet><name>a\u0000</name></pet>', pet))?.status).toBe(400);
  });

  it('writes answers by the shape: root name, attributes, wrapped arrays, escaped text, nulls left out', () => {
    const out = xml.serialize(
      { id: 7, name: 'a<b & "c"', category: null, photoUrls: ['x'], tags: [{ name: 't' }], sold: true },
      pet,
    );
    expect(out).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><pet id="7"><name>a&#60;b &#38; &#34;c&#34;</name>' +
        '<photoUrls><photoUrl>x</photoUrl></photoUrls><tag><name>t</name></tag><sold>true</sold></pet>',
    );
    // What it writes, it reads back.
    expect(xml.parse(out, pet)).toEqual({
      id: 7,
      name: 'a<b & "c"',
      photoUrls: ['x'],
      tags: [{ name: 't' }],
      sold: true,
    });
    // A bare list: a wrapper named by the schema, one element per item.
    const list: XmlShape = { type: 'array', name: 'pets', items: pet };
    expect(xml.serialize([{ id: 1 }, { id: 2 }], list)).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><pets><pet id="1"></pet><pet id="2"></pet></pets>',
    );
  });
});

describe('multipart bodies and content negotiation of generated projects', () => {
  const schema = {
    type: 'object',
    properties: {
      name: { type: 'string' },
      age: { type: 'integer' },
      tags: { type: 'array', items: { type: 'string' } },
      meta: { type: 'object' },
    },
  };
  // A boundary as clients make them (undici's parser stumbles on one-letter boundaries).
  const B = 'tenon-7f3a9c1e';
  const part = (name: string, value: string, file = '') =>
    `--${B}\r\nContent-Disposition: form-data; name="${name}"${file ? `; filename="${file}"` : ''}\r\n\r\n${value}\r\n`;

  it('reads multipart/form-data parts into the object the schema describes', async () => {
    const body = Buffer.from(
      part('name', 'Rex') +
        part('age', '3') +
        part('tags', 'a') +
        part('tags', 'b') +
        part('meta', '{"k":1}', 'm.json') +
        `--${B}--\r\n`,
    );
    await expect(parseMultipartBody(body, `multipart/form-data; boundary=${B}`, schema)).resolves.toEqual({
      name: 'Rex',
      age: 3,
      tags: ['a', 'b'],
      meta: { k: 1 },
    });
    await expect(
      parseMultipartBody(Buffer.from('nonsense'), `multipart/form-data; boundary=${B}`, schema),
    ).rejects.toMatchObject({
      status: 400,
      code: 'BAD_REQUEST',
    });
    await expect(
      parseMultipartBody(
        Buffer.from(part('__proto__', 'x') + `--${B}--\r\n`),
        `multipart/form-data; boundary=${B}`,
        schema,
      ),
    ).rejects.toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
  });

  it('chooses the answer by Accept and q-values, JSON when nothing else fits and JSON is declared', () => {
    const both = ['application/json', 'application/xml'];
    expect(chooseAnswer(undefined, both)).toBe('application/json');
    expect(chooseAnswer('application/xml', both)).toBe('application/xml');
    expect(chooseAnswer('application/json, application/xml', both)).toBe('application/json');
    expect(chooseAnswer('application/json;q=0.5, application/xml', both)).toBe('application/xml');
    expect(chooseAnswer('application/*;q=0.2, application/xml;q=0.9', both)).toBe('application/xml');
    expect(chooseAnswer('text/html', both)).toBe('application/json');
    expect(chooseAnswer('application/xml;q=0', both)).toBe('application/json');
    // No JSON declared: none acceptable is undefined (406).
    expect(chooseAnswer('text/html', ['application/xml'])).toBeUndefined();
    expect(chooseAnswer('*/*', ['application/xml'])).toBe('application/xml');
    expect(chooseAnswer('text/*', ['text/xml'])).toBe('text/xml');
    // An answer the spec declares as any image is taken by every image range.
    expect(chooseAnswer('image/png', ['image/*'], true)).toBe('image/*');
    expect(chooseAnswer('application/json', ['image/*'], true)).toBeUndefined();
    expect(chooseAnswer('text/plain, application/json;q=0.5', ['application/json', 'text/plain'])).toBe(
      'text/plain',
    );
  });

  it('writes a list as RFC 4180 CSV: a header, quoted fields where needed, CRLF lines', () => {
    const rows = [
      { id: 1, name: 'Rex', tags: ['a', 'b'] },
      { id: 2, name: 'Say "hi", all\nnow', age: null },
    ];
    expect(toCsv(rows, ['id', 'name', 'age', 'tags'])).toBe(
      'id,name,age,tags\r\n1,Rex,,"[""a"",""b""]"\r\n2,"Say ""hi"", all\nnow",,\r\n',
    );
    expect(toCsv([], ['id'])).toBe('id\r\n');
  });

  it("renders the chosen answer: JSON left to the route, CSV and XML from the JSON, a handler's text or bytes as they are", () => {
    const media = {
      answer: ['application/json', 'application/xml', 'text/csv', 'text/plain', 'image/*'],
      answerXml: { name: 'pets', type: 'array', items: { name: 'pet' } },
      answerCsv: ['id'],
      answerRaw: ['text/plain', 'image/*'],
      xml,
    };
    const json = () => '[{"id":1}]';
    expect(renderAnswer('application/json', media, [{ id: 1 }], json)).toBeUndefined();
    expect(renderAnswer('text/csv', media, [{ id: 1 }], json)).toEqual({
      type: 'text/csv; charset=utf-8',
      body: 'id\r\n1\r\n',
    });
    expect(renderAnswer('application/xml', media, [{ id: 1 }], json)?.body).toContain(
      '<pets><pet><id>1</id></pet></pets>',
    );
    expect(renderAnswer('text/plain', media, 'one pet', json)).toEqual({
      type: 'text/plain; charset=utf-8',
      body: 'one pet',
    });
    const png = Buffer.from([137, 80]);
    expect(renderAnswer('image/*', media, png, json)).toEqual({
      type: 'application/octet-stream',
      body: png,
    });
    // A handler that returns an object for a type it must write itself: a programming error (500).
    expect(() => renderAnswer('text/plain', media, { id: 1 }, json)).toThrow(TypeError);
  });

  it('reads a body only in a media type the route declares', () => {
    const declared = [
      'application/json',
      'application/xml',
      'application/x-www-form-urlencoded',
      'multipart/form-data',
    ];
    expect(bodyKind('application/json; charset=utf-8', declared)).toBe('json');
    expect(bodyKind('application/XML', declared)).toBe('xml');
    expect(bodyKind('application/x-www-form-urlencoded', declared)).toBe('form');
    expect(bodyKind('multipart/form-data; boundary=x', declared)).toBe('multipart');
    expect(bodyKind('text/xml', declared)).toBeUndefined();
    expect(bodyKind(undefined, declared)).toBeUndefined();
  });
});
