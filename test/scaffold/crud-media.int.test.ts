import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateProject } from '../../src/scaffold/generate.js';
import { linkGeneratedDependencies } from '../support/generated-deps.js';
import { projectVitest, scaffoldFixture } from '../support/project-check.js';

/**
 * CRUD bodies and answers in the media types the spec declares, in both
 * frameworks, over HTTP: a project is generated from
 * `fixtures/crud-media.yaml` (pets created from JSON, XML, a form or
 * multipart parts and answered in JSON or XML; replaced from `text/xml`;
 * badges declared only in `application/vnd.badge+xml`), and a test written
 * into it starts the app on a loopback port and sends real requests. The
 * project's own generated tests for both resources run too.
 */
const { spec, work } = scaffoldFixture('crud-media.yaml');

/** Starts the app on 127.0.0.1 in the check file: Fastify listens itself, Express through node:http. */
const LISTEN = {
  fastify: `import { buildApp } from '../../src/app.js';
async function listen(app: TestApp): Promise<{ url: string; close(): Promise<void> }> {
  const server = await buildApp({ config: app.config, db: app.db });
  const address = await server.listen({ port: 0, host: '127.0.0.1' });
  return { url: address, close: () => server.close() };
}`,
  express: `import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildApp, closeApp } from '../../src/app.js';
async function listen(app: TestApp): Promise<{ url: string; close(): Promise<void> }> {
  const express = await buildApp({ config: app.config, db: app.db });
  const server = createServer(express);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: 'http://127.0.0.1:' + port,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await closeApp(express);
    },
  };
}`,
};

const CHECK = `import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Session, sessionFor } from './sessions.js';
import { startTestApp, type TestApp } from './test-app.js';
__LISTEN__

let app: TestApp;
let admin: Session;
let http: { url: string; close(): Promise<void> };
beforeAll(async () => {
  app = await startTestApp();
  admin = await sessionFor(app, 'admin');
  http = await listen(app);
});
afterAll(async () => {
  await http?.close();
  await app?.close();
});

async function send(method: string, path: string, body: string | undefined, headers: Record<string, string>) {
  const res = await fetch(http.url + path, { method, body, headers: { ...admin.headers, ...headers } });
  return { status: res.status, type: res.headers.get('content-type') ?? '', vary: res.headers.get('vary') ?? '', text: await res.text() };
}
const json = (text: string) => JSON.parse(text) as Record<string, any>;
const B = 'check-boundary-40f1';
const part = (name: string, value: string) => '--' + B + '\\r\\nContent-Disposition: form-data; name="' + name + '"\\r\\n\\r\\n' + value + '\\r\\n';

describe('CRUD bodies in the spec\\'s media types', () => {
  it('creates a pet from JSON, XML, a form and multipart parts: the same row each time', async () => {
    const want = { name: 'Rex', age: 3, vaccinated: true, photoUrls: ['a', 'b'], category: { name: 'dogs' } };
    const bodies: [string, string][] = [
      ['application/json', JSON.stringify(want)],
      ['application/xml', '<?xml version="1.0"?><pet><name>Rex</name><age>3</age><vaccinated>true</vaccinated>' +
        '<photoUrls><photoUrl>a</photoUrl><photoUrl>b</photoUrl></photoUrls><category><name>dogs</name></category></pet>'],
      ['application/x-www-form-urlencoded', 'name=Rex&age=3&vaccinated=true&photoUrls=a&photoUrls=b&category=%7B%22name%22%3A%22dogs%22%7D'],
      ['multipart/form-data; boundary=' + B, part('name', 'Rex') + part('age', '3') + part('vaccinated', 'true') +
        part('photoUrls', 'a') + part('photoUrls', 'b') + part('category', '{"name":"dogs"}') + '--' + B + '--\\r\\n'],
    ];
    for (const [type, body] of bodies) {
      const res = await send('POST', '/pets', body, { 'content-type': type });
      expect({ type, status: res.status }).toEqual({ type, status: 201 });
      expect(json(res.text)).toMatchObject(want);
    }
  });

  it('validates every media type by the same schema: 400 naming the field, 415 for types the spec does not declare', async () => {
    const tooOld = await send('POST', '/pets', '<pet><name>Rex</name><age>-1</age></pet>', { 'content-type': 'application/xml' });
    expect(tooOld.status).toBe(400);
    expect(tooOld.text).toContain('age');
    expect((await send('POST', '/pets', 'age=1', { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(400);
    expect((await send('POST', '/pets', '<pet><name>Rex</name><owner>me</owner></pet>', { 'content-type': 'application/xml' })).status).toBe(400);
    expect((await send('POST', '/pets', '<pet><name>Rex</pet>', { 'content-type': 'application/xml' })).status).toBe(400);
    const bomb = '<!DOCTYPE pet [<!ENTITY a "aaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]><pet><name>&b;</name></pet>';
    expect((await send('POST', '/pets', bomb, { 'content-type': 'application/xml' })).status).toBe(400);
    expect((await send('POST', '/pets', '<pet><__proto__><x>1</x></__proto__><name>a</name></pet>', { 'content-type': 'application/xml' })).status).toBe(400);
    // PUT declares JSON and text/xml only.
    const made = json((await send('POST', '/pets', JSON.stringify({ name: 'Tom' }), { 'content-type': 'application/json' })).text);
    expect((await send('PUT', '/pets/' + made.id, 'name=Tim', { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(415);
    expect((await send('PUT', '/pets/' + made.id, '<pet><name>Tim</name></pet>', { 'content-type': 'application/xml' })).status).toBe(415);
    expect((await send('POST', '/pets', 'name,Rex', { 'content-type': 'text/csv' })).status).toBe(415);
    const replaced = await send('PUT', '/pets/' + made.id, '<pet><name>Tim</name></pet>', { 'content-type': 'text/xml; charset=utf-8' });
    expect(replaced.status).toBe(200);
    expect(json(replaced.text)).toMatchObject({ id: made.id, name: 'Tim' });
  });

  it('answers in the type Accept asks for: XML by the spec\\'s xml objects, JSON by default and when nothing fits', async () => {
    const made = json((await send('POST', '/pets', JSON.stringify({ name: 'Ada', photoUrls: ['p'] }), { 'content-type': 'application/json' })).text);
    const asXml = await send('GET', '/pets/' + made.id, undefined, { accept: 'application/xml' });
    expect(asXml.type).toMatch(/^application\\/xml/);
    expect(asXml.vary).toMatch(/accept/i);
    expect(asXml.text).toContain(
      '<?xml version="1.0" encoding="UTF-8"?><pet id="' + made.id + '"><name>Ada</name><photoUrls><photoUrl>p</photoUrl></photoUrls>',
    );
    expect((await send('GET', '/pets/' + made.id, undefined, { accept: 'application/json;q=0.4, application/xml;q=0.8' })).type).toMatch(/xml/);
    expect((await send('GET', '/pets/' + made.id, undefined, {})).type).toMatch(/^application\\/json/);
    expect((await send('GET', '/pets/' + made.id, undefined, { accept: 'text/html' })).type).toMatch(/^application\\/json/);
    const list = await send('GET', '/pets?limit=2', undefined, { accept: 'application/xml' });
    expect(list.text).toMatch(/^<\\?xml[^>]*\\?><pets><pet id="\\d+">.*<\\/pet><\\/pets>$/);
    // The answer to a create sent as XML, in XML.
    const created = await send('POST', '/pets', '<pet><name>Bo</name></pet>', { 'content-type': 'application/xml', accept: 'application/xml' });
    expect(created.status).toBe(201);
    expect(created.text).toMatch(/<pet id="\\d+"><name>Bo<\\/name>/);
  });

  it('a resource the spec declares only in XML: XML by default, JSON when asked, 406 when Accept takes neither', async () => {
    const made = await send('POST', '/badges', '<Badge><label>gold</label></Badge>', { 'content-type': 'application/vnd.badge+xml' });
    expect(made.status).toBe(201);
    expect(made.type).toMatch(/^application\\/vnd\\.badge\\+xml/);
    const id = /<id>(\\d+)<\\/id>/.exec(made.text)?.[1];
    expect(made.text).toContain('<?xml version="1.0" encoding="UTF-8"?><Badge><id>' + id + '</id><label>gold</label>');
    expect((await send('GET', '/badges/' + id, undefined, {})).type).toMatch(/badge\\+xml/);
    expect(json((await send('GET', '/badges/' + id, undefined, { accept: 'application/json' })).text)).toMatchObject({ label: 'gold' });
    const refused = await send('GET', '/badges/' + id, undefined, { accept: 'text/html' });
    expect(refused.status).toBe(406);
    expect(refused.text).toContain('NOT_ACCEPTABLE');
    // Its DELETE answers the removed object, in XML by default and JSON when asked.
    const removed = await send('DELETE', '/badges/' + id, undefined, {});
    expect(removed.status).toBe(200);
    expect(removed.type).toMatch(/^application\\/xml/);
    expect(removed.text).toBe('<?xml version="1.0" encoding="UTF-8"?><removed><id>' + id + '</id><label>gold</label><deleted>true</deleted></removed>');
    const other = /<id>(\\d+)<\\/id>/.exec((await send('POST', '/badges', '<Badge><label>tin</label></Badge>', { 'content-type': 'application/vnd.badge+xml' })).text)?.[1];
    expect((await send('DELETE', '/badges/' + other, undefined, { accept: 'text/html' })).status).toBe(406);
    expect(json((await send('DELETE', '/badges/' + other, undefined, { accept: 'application/json' })).text)).toEqual({ id: Number(other), label: 'tin', deleted: true });
    // Nothing is created for a client that could not read the answer.
    expect((await send('POST', '/badges', '<Badge><label>x</label></Badge>', { 'content-type': 'application/vnd.badge+xml', accept: 'text/html' })).status).toBe(406);
  });

  it('answers a list as CSV when Accept asks for text/csv: a header of the declared properties, RFC 4180 quoting', async () => {
    await send('POST', '/pets', JSON.stringify({ name: 'Say "hi", Rex', age: 4 }), { 'content-type': 'application/json' });
    const csv = await send('GET', '/pets?limit=100', undefined, { accept: 'text/csv' });
    expect(csv.status).toBe(200);
    expect(csv.type).toMatch(/^text\\/csv/);
    expect(csv.vary).toMatch(/accept/i);
    const lines = csv.text.split('\\r\\n');
    expect(lines[0]).toBe('id,name,age,vaccinated,photoUrls,category');
    expect(lines).toContainEqual(expect.stringMatching(/^\\d+,"Say ""hi"", Rex",4,,,$/));
    expect(csv.text.endsWith('\\r\\n')).toBe(true);
  });

  it('answers an operation of its own in the type Accept asks for: JSON, XML by the spec\\'s xml objects, or the handler\\'s text', async () => {
    const asJson = await send('GET', '/reports/summary', undefined, {});
    expect(asJson.type).toMatch(/^application\\/json/);
    expect(json(asJson.text)).toEqual({ pets: 2, note: 'ok' });
    const asXml = await send('GET', '/reports/summary', undefined, { accept: 'application/xml' });
    expect(asXml.type).toMatch(/^application\\/xml/);
    expect(asXml.vary).toMatch(/accept/i);
    expect(asXml.text).toBe('<?xml version="1.0" encoding="UTF-8"?><summary pets="2"><note>ok</note></summary>');
    const asText = await send('GET', '/reports/summary', undefined, { accept: 'text/plain, application/json;q=0.5' });
    expect(asText.type).toMatch(/^text\\/plain/);
    expect(asText.text).toBe('pets: 2');
    // Nothing the client takes: JSON, which the spec declares.
    expect((await send('GET', '/reports/summary', undefined, { accept: 'image/png' })).type).toMatch(/^application\\/json/);
  });

  it('sends an operation\\'s bytes in its only type, 406 before it runs when Accept refuses it, and replays them on a retry', async () => {
    const body = JSON.stringify({ format: 'raw' });
    const headers = { 'content-type': 'application/json', 'idempotency-key': 'export-' + Date.now() };
    const res = await fetch(http.url + '/reports/export', { method: 'POST', body, headers: { ...admin.headers, ...headers } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    expect([...new Uint8Array(await res.arrayBuffer())]).toEqual([0, 1, 2, 255]);
    const again = await fetch(http.url + '/reports/export', { method: 'POST', body, headers: { ...admin.headers, ...headers } });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.headers.get('content-type')).toBe('application/octet-stream');
    expect([...new Uint8Array(await again.arrayBuffer())]).toEqual([0, 1, 2, 255]);
    const refused = await send('POST', '/reports/export', body, { 'content-type': 'application/json', accept: 'application/json' });
    expect(refused.status).toBe(406);
  });

  it('replays an Idempotency-Key answer in the type and bytes it was first sent in (XML)', async () => {
    const headers = { 'content-type': 'application/xml', accept: 'application/xml', 'idempotency-key': 'xml-' + Date.now() };
    const first = await send('POST', '/pets', '<pet><name>Kiki</name></pet>', headers);
    expect(first.status).toBe(201);
    expect(first.type).toMatch(/^application\\/xml/);
    const again = await send('POST', '/pets', '<pet><name>Kiki</name></pet>', headers);
    expect(again).toEqual({ ...first, vary: again.vary });
  });
});
`;

/** Handlers of the spec's operations of their own, written into the project (its files to edit). */
const HANDLERS: Record<string, string> = {
  'src/operations/pet-summary.ts': `import type { PetSummaryInput, PetSummaryOutput, OperationContext } from '../generated/operations.js';

export async function petSummary(input: PetSummaryInput, context: OperationContext): Promise<PetSummaryOutput> {
  void context;
  return input.answerType === 'text/plain' ? 'pets: 2' : { pets: 2, note: 'ok' };
}
`,
  'src/operations/export-pets.ts': `import type { ExportPetsInput, ExportPetsOutput, OperationContext } from '../generated/operations.js';

export async function exportPets(input: ExportPetsInput, context: OperationContext): Promise<ExportPetsOutput> {
  void input;
  void context;
  return Buffer.from([0, 1, 2, 255]);
}
`,
};

describe.each(['fastify', 'express'] as const)('CRUD media types in a generated %s project', (framework) => {
  it('takes JSON, XML, form and multipart bodies, answers JSON or XML by Accept over HTTP, and the project’s own tests pass', async () => {
    const dir = join(work, framework);
    await generateProject({ mode: 'new', dir, from: spec, framework, cwd: work });
    // The XML codec's dependency is added only where the spec declares XML.
    expect(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).dependencies).toHaveProperty(
      'fast-xml-parser',
    );
    const modules = linkGeneratedDependencies(dir);
    for (const [file, text] of Object.entries(HANDLERS)) writeFileSync(join(dir, file), text);
    writeFileSync(
      join(dir, 'test/generated/crud-media-check.test.ts'),
      CHECK.replace('__LISTEN__', LISTEN[framework]),
    );
    const result = await projectVitest(dir, modules, [
      'test/generated/crud-media-check.test.ts',
      'test/generated/pet.test.ts',
      'test/generated/badge.test.ts',
      'test/generated/hardening.test.ts',
      'test/generated/operations.test.ts',
      'test/generated/idempotency.test.ts',
    ]);
    expect({ code: result.code, tail: result.code === 0 ? '' : result.output.slice(-4000) }).toEqual({
      code: 0,
      tail: '',
    });
    expect(result.output).toMatch(/Tests\s+\d+ passed/);
  }, 600_000);
});
