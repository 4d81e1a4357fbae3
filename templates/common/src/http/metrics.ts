import { createServer, type Server } from 'node:http';
import { collectDefaultMetrics, Gauge, type Metric, Registry } from 'prom-client';
import type { Db } from '../db/database.js';
import { RouteDurations } from './route-durations.js';

/** The service's Prometheus metrics: Node.js defaults, request durations, database pool. */
export interface Metrics {
  readonly registry: Registry;
  /** Records one answered request; `route` is the route pattern (bounded), never the raw URL. */
  observe(method: string, route: string, status: number, seconds: number): void;
}

/** A request that matched no route: one label value, so scanners cannot grow the series without bound. */
export const UNMATCHED_ROUTE = '(unmatched)';

/**
 * Creates the metrics of one app. Each app has its own registry (tests build
 * several apps in one process; the global registry would refuse the second).
 */
export function createMetrics(db: Db): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  // From 1 ms to 10 s: an API's answers, and the timeouts.
  const duration = new RouteDurations(
    'http_request_duration_seconds',
    'Time to answer HTTP requests, by route pattern, method and status.',
    [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  );
  // The registry formats any object that answers get() as it does its own metrics (Registry.merge relies on it too).
  registry.registerMetric(duration as unknown as Metric);
  const stats = db.pool?.bind(db);
  // PGlite has no pool: no pool gauges at all, rather than zeros a reader would take for a pool of size 0.
  const pool = (name: string, help: string, read: (p: { total: number; idle: number; waiting: number; max: number }) => number) =>
    stats &&
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(read(stats()));
      },
    });
  pool('db_pool_connections_total', 'Connections the database pool holds (busy and idle).', (p) => p.total);
  pool('db_pool_connections_idle', 'Idle connections in the database pool.', (p) => p.idle);
  pool('db_pool_connections_max', 'The most connections the pool opens (DB_POOL_MAX).', (p) => p.max);
  pool('db_pool_waiting_clients', 'Queries waiting for a free connection: above 0 for long, the pool is too small.', (p) => p.waiting);
  return {
    registry,
    observe(method, route, status, seconds) {
      duration.observe(method, route, status, seconds);
    },
  };
}

/**
 * Serves `GET /metrics` on its own port (METRICS_PORT), apart from the API:
 * the Service and the ingress route only the API port, so the metrics are
 * not public, and Prometheus scrapes the pod directly (k8s annotations).
 */
export async function startMetricsServer(metrics: Metrics, port: number, host: string): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    metrics.registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
      () => res.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  return server;
}
