import type { Database } from '../core/db/index.js';

/** Rows per table of the demo data. */
export interface SeedSizes {
  customers: number;
  products: number;
  orders: number;
  orderItems: number;
}

/** The default sizes: 140,000 rows, seeded in a few seconds on PGlite. */
export const DEFAULT_SEED_SIZES: SeedSizes = {
  customers: 10_000,
  products: 60_000,
  orders: 20_000,
  orderItems: 50_000,
};

/** Distinct product categories: selective enough that an index on `category` pays. */
export const PRODUCT_CATEGORIES = 1000;

/** Orders belong to this many owners (`owner_id` 1…N), so the first registered user owns some. */
export const ORDER_OWNERS = 50;

/** A category name the load filters products by. */
export function categoryName(n: number): string {
  return `category-${n % PRODUCT_CATEGORIES}`;
}

/**
 * The seed statements, one multi-row `insert … select` from
 * `generate_series` per table (no round trip per row, which is what makes
 * 140k rows take seconds on PGlite). Values are spread deterministically so
 * runs compare; ids start at 1 on a fresh database.
 */
export function seedStatements(sizes: SeedSizes): string[] {
  const { customers, products, orders, orderItems } = sizes;
  return [
    `insert into customers (email, name, tier)
select 'customer' || g || '@example.com', 'Customer ' || g, (array['standard', 'silver', 'gold'])[1 + g % 3]
from generate_series(1, ${customers}) g`,
    `insert into products (sku, name, category, price, status)
select 'SKU-' || g, 'Product ' || g, 'category-' || ((g * 7919) % ${PRODUCT_CATEGORIES}),
  round(((g * 37) % 50000)::numeric / 100 + 1, 2), case when g % 20 = 0 then 'discontinued' else 'active' end
from generate_series(1, ${products}) g`,
    `insert into orders (customer_id, status, total, owner_id)
select 1 + (g * 13) % ${customers},
  (array['pending', 'paid', 'shipped', 'delivered', 'delivered', 'delivered', 'cancelled'])[1 + g % 7],
  round(((g * 53) % 100000)::numeric / 100, 2), 1 + g % ${ORDER_OWNERS}
from generate_series(1, ${orders}) g`,
    `insert into order_items (order_id, product_id, quantity, unit_price)
select 1 + g % ${orders}, 1 + (g * 31) % ${products}, 1 + g % 5, round(((g * 17) % 20000)::numeric / 100 + 1, 2)
from generate_series(1, ${orderItems}) g`,
  ];
}

/** What {@link seedDemoData} did. */
export interface SeedResult {
  rows: number;
  perTable: Record<string, number>;
  durationMs: number;
}

/**
 * Fills the demo tables, refreshes planner statistics and creates
 * pg_stat_statements (the demo's analysis reads the counters' change after a
 * snapshot, so the seed's statements do not count and nothing is reset).
 */
export async function seedDemoData(
  db: Database,
  sizes: SeedSizes = DEFAULT_SEED_SIZES,
  signal?: AbortSignal,
): Promise<SeedResult> {
  const started = performance.now();
  await db.withSession(async (session) => {
    // The rows reference each other correctly by construction; skipping the per-row
    // foreign key triggers (replica role, superuser only) halves the time. A server
    // login that may not do it checks them instead.
    const replica = await session
      .exec('set session_replication_role = replica')
      .then(() => true)
      .catch(() => false);
    for (const sql of seedStatements(sizes)) {
      // Between tables: a Ctrl-C does not wait for the whole seed.
      signal?.throwIfAborted();
      await session.exec(sql);
    }
    if (replica) await session.exec('set session_replication_role = default');
  });
  // VACUUM sets the visibility map (index-only scans), ANALYZE the planner's statistics.
  await db.exec('vacuum analyze');
  await enableStatements(db);
  return {
    rows: sizes.customers + sizes.products + sizes.orders + sizes.orderItems,
    perTable: {
      customers: sizes.customers,
      products: sizes.products,
      orders: sizes.orders,
      order_items: sizes.orderItems,
    },
    durationMs: Math.round(performance.now() - started),
  };
}

/** Creates pg_stat_statements when it can. False when the database lacks it (the module is not preloaded). */
export async function enableStatements(db: Database): Promise<boolean> {
  try {
    await db.exec('create extension if not exists pg_stat_statements');
    // Created is not enough: without the module preloaded, reading the view fails.
    await db.query('select 1 from pg_stat_statements limit 1');
    return true;
  } catch {
    // A server without the module preloaded: the analysis will say pg_stat_statements is missing.
    return false;
  }
}
