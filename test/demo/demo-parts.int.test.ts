import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/analyze/index.js';
import { connect } from '../../src/core/db/index.js';
import { dependencyFolder, missingDependencies } from '../../src/demo/app-process.js';
import { isPlantedFinding } from '../../src/demo/planted.js';
import { seedDemoData } from '../../src/demo/seed.js';

describe('isPlantedFinding', () => {
  const finding = (title: string, up?: string) => ({ title, fix: up ? { up } : undefined }) as Finding;
  it('recognizes the products-by-category finding, not others', () => {
    expect(isPlantedFinding(finding('public.products(category, id) would cut the cost'))).toBe(true);
    expect(isPlantedFinding(finding('x', 'CREATE INDEX ON public.products (category)'))).toBe(true);
    expect(isPlantedFinding(finding('public.orders(status) would cut the cost'))).toBe(false);
  });
});

describe('missingDependencies', () => {
  it('names packages tenon lacks or has in another major', () => {
    const root = mkdtempSync(join(tmpdir(), 'tenon-deps-'));
    try {
      for (const [name, version] of [
        ['a', '5.2.0'],
        ['b', '4.9.0'],
        ['@s/c', '0.5.16'],
      ]) {
        mkdirSync(join(root, 'node_modules', name!), { recursive: true });
        writeFileSync(join(root, 'node_modules', name!, 'package.json'), JSON.stringify({ version }));
      }
      const project = join(root, 'p');
      mkdirSync(project);
      writeFileSync(
        join(project, 'package.json'),
        JSON.stringify({ dependencies: { a: '^5.1.0', b: '^5.0.0', '@s/c': '^0.5.14', d: '^1.0.0' } }),
      );
      expect(missingDependencies(project, root)).toEqual(['b@^5.0.0', 'd@^1.0.0']);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('finds the hoisted node_modules when tenon is installed as a dependency', () => {
    const top = mkdtempSync(join(tmpdir(), 'tenon-hoisted-'));
    try {
      const root = join(top, 'node_modules', 'tenon');
      mkdirSync(join(top, 'node_modules', 'a'), { recursive: true });
      mkdirSync(root, { recursive: true });
      writeFileSync(join(top, 'node_modules', 'a', 'package.json'), JSON.stringify({ version: '1.2.3' }));
      const project = join(top, 'p');
      mkdirSync(project);
      writeFileSync(join(project, 'package.json'), JSON.stringify({ dependencies: { a: '^1.0.0' } }));
      expect(dependencyFolder(project, root)).toBe(join(top, 'node_modules'));
      writeFileSync(join(project, 'package.json'), JSON.stringify({ dependencies: { a: '^2.0.0' } }));
      expect(dependencyFolder(project, root)).toBeUndefined();
    } finally {
      rmSync(top, { recursive: true, force: true });
    }
  });

  it('finds every runtime dependency of a generated project in tenon itself', async () => {
    const { generateProject } = await import('../../src/scaffold/index.js');
    const { SAMPLE_SPEC } = await import('../../src/demo/sample-spec.js');
    const dir = mkdtempSync(join(tmpdir(), 'tenon-demo-deps-'));
    try {
      writeFileSync(join(dir, 'openapi.yaml'), SAMPLE_SPEC);
      for (const framework of ['fastify', 'express'] as const) {
        const target = join(dir, framework);
        await generateProject({ mode: 'new', dir: target, from: join(dir, 'openapi.yaml'), framework });
        expect(missingDependencies(target), framework).toEqual([]);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('seedDemoData', () => {
  it('fills the tables with consistent rows at a small scale', async () => {
    const { generateProject } = await import('../../src/scaffold/index.js');
    const { SAMPLE_SPEC } = await import('../../src/demo/sample-spec.js');
    const { Migrator } = await import('../../src/migrate/index.js');
    const dir = mkdtempSync(join(tmpdir(), 'tenon-demo-seed-'));
    const db = await connect({ databaseUrl: 'pglite://memory' });
    try {
      writeFileSync(join(dir, 'openapi.yaml'), SAMPLE_SPEC);
      await generateProject({ mode: 'new', dir: join(dir, 'p'), from: join(dir, 'openapi.yaml') });
      await new Migrator({ db, dir: join(dir, 'p', 'migrations') }).up();
      const result = await seedDemoData(db, { customers: 100, products: 300, orders: 200, orderItems: 400 });
      expect(result.rows).toBe(1000);
      const { rows } = await db.query<{ t: string; n: number }>(
        `select 'customers' as t, count(*)::int as n from customers union all
         select 'products', count(*)::int from products union all
         select 'orders', count(*)::int from orders union all
         select 'order_items', count(*)::int from order_items union all
         select 'orphans', count(*)::int from order_items i left join orders o on o.id = i.order_id
           left join products p on p.id = i.product_id where o.id is null or p.id is null union all
         select 'categories', count(distinct category)::int from products`,
      );
      expect(Object.fromEntries(rows.map((r) => [r.t, r.n]))).toEqual({
        customers: 100,
        products: 300,
        orders: 200,
        order_items: 400,
        orphans: 0,
        categories: 300,
      });
      // pg_stat_statements is there to read (the analysis reads a window from a snapshot, so nothing is reset).
      const stats = await db.query<{ n: number }>('select count(*)::int as n from pg_stat_statements');
      expect(stats.rows[0]!.n).toBeGreaterThan(0);
    } finally {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
