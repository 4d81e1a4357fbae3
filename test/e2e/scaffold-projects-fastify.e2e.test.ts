import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { runTenon } from '../support/cli.js';
import { createTempDatabase, requirePostgres, type TempDatabase } from '../support/services.js';
import { fixtures, generatedProjects } from './scaffold-projects-suite.js';
import { run } from './scaffold-support.js';

// The fastify half of the fixture matrix (the suite says what it runs), then regeneration on its shop install.
const projects = generatedProjects('fastify');

const postgres = await requirePostgres();
const work = mkdtempSync(join(tmpdir(), 'tenon-e2e-regen-'));
const databases: TempDatabase[] = [];
afterAll(async () => {
  for (const db of databases) await db.drop().catch(() => undefined);
  rmSync(work, { recursive: true, force: true });
});

const USER_SERVICE = `import type { Db } from '../db/database.js';
import { createProductRepository, type ProductRepository } from '../generated/resources/product.repository.js';

/** Products, with our business rules. */
export function createProductService(db: Db): ProductRepository {
  const repository = createProductRepository(db);
  return {
    ...repository,
    // Business rule: names are stored trimmed.
    async create(input, scope) {
      return repository.create({ ...input, name: input.name.trim() }, scope);
    },
  };
}
`;

const USER_PLUGINS = `import type { FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import type { Db } from './db/database.js';

/** Our own routes. */
export async function plugins(app: FastifyInstance, options: { config: Config; db: Db }): Promise<void> {
  app.get('/api/v1/stats', async () => {
    const { rows } = await options.db.query<{ n: number }>('select count(*)::int as n from products');
    return { success: true, data: { products: rows[0]!.n } };
  });
}
`;

const USER_OPERATION = `import type { OperationContext, PublishProductInput } from '../generated/operations.js';

/** Publishing is a no-op in this shop. */
export async function publishProduct(input: PublishProductInput, context: OperationContext): Promise<unknown> {
  void context;
  return { id: input.params.id, published: true };
}
`;

const USER_TEST = `import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Session, sessionFor } from '../generated/sessions.js';
import { startTestApp, type TestApp } from '../generated/test-app.js';

let app: TestApp;
let admin: Session;
beforeAll(async () => {
  app = await startTestApp();
  admin = await sessionFor(app, 'admin');
});
afterAll(async () => {
  await app?.close();
});

it('stores product names trimmed and counts them', async () => {
  const created = await app.request('POST', '/api/v1/products', { name: '  Lamp  ', price: 10, status: 'active' }, admin.headers);
  expect(created.status).toBe(201);
  expect(created.body.data.name).toBe('Lamp');
  // Our own routes are for authenticated callers too (deny by default).
  expect((await app.request('GET', '/api/v1/stats')).status).toBe(401);
  const stats = await app.request('GET', '/api/v1/stats', undefined, admin.headers);
  expect(stats.body).toEqual({ success: true, data: { products: 1 } });
});

it('publishes', async () => {
  const res = await app.request('POST', '/api/v1/products/1/publish', {}, admin.headers);
  expect(res.body).toEqual({ success: true, data: { id: 1, published: true } });
});
`;

describe.skipIf(!postgres.available)('regenerating a project after the spec changed', () => {
  it('keeps every user line, migrates the data, and still type-checks and passes its tests', async () => {
    const modules = projects.shopModules();
    expect(modules, 'needs the installed fastify shop project above').toBeDefined();
    const specDir = join(work, 'regen-spec');
    cpSync(join(fixtures, 'shop'), specDir, { recursive: true });
    const dir = join(work, 'regen');
    const created = await runTenon(
      ['new', dir, '--from', join(specDir, 'openapi.yaml'), '--conventions', '--no-install'],
      {
        cwd: work,
      },
    );
    expect(created.code, created.stderr).toBe(0);
    symlinkSync(modules!, join(dir, 'node_modules'), 'dir');

    // A database with the first schema and some data in it.
    const db = await createTempDatabase(undefined, 'tenon_e2e');
    databases.push(db);
    run(dir, 'npm', ['run', 'migrate'], { DATABASE_URL: db.url });
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      await client.query(
        `insert into products (name, price, status, homepage, released_on) values ('Old', 5, 'draft', 'https://old.example', '2024-05-01')`,
      );
    } finally {
      await client.end();
    }

    // The user's work: business rules, own routes, an implemented operation, own tests, an edited generated file.
    const edits: Record<string, string> = {
      'src/resources/product.service.ts': USER_SERVICE,
      'src/plugins.ts': USER_PLUGINS,
      'src/operations/publish-product.ts': USER_OPERATION,
      'test/user/shop.test.ts': USER_TEST,
      'README.md': `${readFileSync(join(dir, 'README.md'), 'utf8')}\n## Our notes\n\nKeep this.\n`,
    };
    for (const [file, content] of Object.entries(edits)) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), content);
    }

    // The spec changes: add, rename and remove a field, add an enum value, add a resource.
    const specFile = join(specDir, 'openapi.yaml');
    const spec = parseYaml(readFileSync(specFile, 'utf8'));
    const product = spec.components.schemas.Product.allOf[1];
    product.properties.weight = { type: 'number', minimum: 0 };
    product.properties.website = { ...product.properties.homepage, 'x-tenon-renamed-from': 'homepage' };
    delete product.properties.homepage;
    delete product.properties.releasedOn;
    product.properties.status.enum.push('discontinued');
    spec.components.schemas.Supplier = {
      type: 'object',
      required: ['name'],
      properties: { id: { type: 'integer', readOnly: true }, name: { type: 'string', maxLength: 100 } },
    };
    const ref = { $ref: '#/components/schemas/Supplier' };
    spec.paths['/suppliers'] = {
      get: {
        responses: {
          '200': {
            description: 'ok',
            content: { 'application/json': { schema: { type: 'array', items: ref } } },
          },
        },
      },
      post: {
        requestBody: { content: { 'application/json': { schema: ref } } },
        responses: { '201': { description: 'created' } },
      },
    };
    spec.paths['/suppliers/{id}'] = {
      get: { responses: { '200': { description: 'ok', content: { 'application/json': { schema: ref } } } } },
      delete: { responses: { '204': { description: 'deleted' } } },
    };
    writeFileSync(specFile, stringifyYaml(spec));

    const regenerated = await runTenon(['generate', '--json'], { cwd: dir });
    expect(regenerated.code, regenerated.stderr).toBe(0);
    const report = JSON.parse(regenerated.stdout);
    expect(report.conflicts).toEqual([
      {
        path: 'README.md',
        newVersion: 'README.md.tenon-new',
        reason: 'edited by you; new version beside it',
      },
    ]);
    expect(report.resources).toContain('Supplier');
    expect(report.migrations).toHaveLength(1);
    // Zero user lines lost: every file the user wrote or edited is byte for byte what they wrote.
    for (const [file, content] of Object.entries(edits))
      expect(readFileSync(join(dir, file), 'utf8'), file).toBe(content);
    expect(readFileSync(join(dir, 'README.md.tenon-new'), 'utf8')).toContain('Supplier');
    expect(readFileSync(join(dir, 'src/generated/models.ts'), 'utf8')).toMatch(/weight\?: number/);

    run(dir, 'npm', ['run', 'lint']);
    expect(run(dir, 'npm', ['test'])).toMatch(/Tests\s+\d+ passed/);

    // The new migration applies on top of the old schema with its data.
    run(dir, 'npm', ['run', 'migrate'], { DATABASE_URL: db.url });
    const after = new pg.Client({ connectionString: db.url });
    await after.connect();
    try {
      const { rows } = await after.query(`select name, website, weight, released_on::text from products`);
      expect(rows).toEqual([
        { name: 'Old', website: 'https://old.example', weight: null, released_on: '2024-05-01' },
      ]);
      await after.query(`insert into products (name, price, status) values ('New', 1, 'discontinued')`);
      await after.query(`insert into suppliers (name) values ('ACME')`);
    } finally {
      await after.end();
    }
  }, 600_000);
});
