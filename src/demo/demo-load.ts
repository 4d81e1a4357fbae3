import { TenonError } from '../core/errors.js';
import type { LoadResult, LoadTarget } from '../load/index.js';
import { categoryName } from './seed.js';

/**
 * The request mix of the demo's load: an authenticated list of the
 * caller's orders, a product list filtered by category (the planted slow
 * query: no index on `products.category`), a product by id, and an order
 * created. Requests go round-robin, so each gets a quarter of the rate.
 */
export function demoTargets(
  baseUrl: string,
  headers: Record<string, string>,
  authenticated = Object.keys(headers).length > 0,
): LoadTarget[] {
  const api = `${baseUrl}/api/v1`;
  // Authenticated, the list is scoped to the caller's rows (owner_id, indexed). Without
  // authentication it would count the whole table, so it filters by an indexed key instead.
  const orders = authenticated ? `${api}/orders?limit=20` : `${api}/orders?customerId=7&limit=20`;
  return [
    { name: 'list my orders', url: orders, method: 'GET', headers },
    {
      name: 'list products by category',
      url: `${api}/products?category=${categoryName(17)}&limit=20`,
      method: 'GET',
      headers,
    },
    { name: 'get product by id', url: `${api}/products/4242`, method: 'GET', headers },
    {
      name: 'create order',
      url: `${api}/orders`,
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ customerId: 7, status: 'pending', total: 42.5 }),
    },
  ];
}

/**
 * Refuses a load step that ran to its end with no request succeeded: the demo's figures (a
 * p99 of 0 ms, "0 req/s") would otherwise read as a result. The message
 * names the statuses the app answered instead.
 *
 * @throws TenonError `TENON_DEMO_LOAD_FAILED`
 */
export function assertSomeSucceeded(
  label: string,
  result: Pick<LoadResult, 'requests' | 'statusCodes' | 'interrupted'>,
): void {
  // An interrupted step ends the demo as an interruption (exit 130), whatever it measured.
  if (result.requests.ok > 0 || result.interrupted) return;
  const statuses = Object.entries(result.statusCodes)
    .map(([status, n]) => `${n}× ${status}`)
    .join(', ');
  throw new TenonError(
    'TENON_DEMO_LOAD_FAILED',
    `No request of the load "${label}" succeeded (${result.requests.total} sent; ${statuses || 'no response at all'}).`,
    {
      hint: 'Run the generated app yourself (npm run dev in the demo directory) and call the same routes to see why.',
    },
  );
}
