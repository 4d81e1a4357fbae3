import type { AddressInfo } from 'node:net';
import { createServer } from 'node:http';
import type { DestinationStream } from 'pino';
import { buildApp, closeApp, metricsOf } from '../../src/app.js';
import type { Metrics } from '../../src/http/metrics.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { SPEC_PARAMETER_HEADERS, withSpecQuery } from './spec-parameters.js';

/** A response as tests see it. */
export interface TestResponse {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  /** The parsed JSON body (tests read it freely); undefined for an XML answer. */
  body: any;
  /** The body as text (an XML answer's). */
  text: string;
}

/** The app on a fresh database, listening on a free loopback port. */
export interface TestApp extends TestDatabase {
  /** Sends JSON (unless `headers` says otherwise) and asks for JSON (Accept), as tenon's clients do. */
  request(method: string, url: string, body?: unknown, headers?: Record<string, string>): Promise<TestResponse>;
  /** The app's Prometheus metrics (served apart from the API, on METRICS_PORT). */
  metrics: Metrics;
  close(): Promise<void>;
}

/** Options of a test app: `logStream` receives its log lines (set LOG_LEVEL in `env` to see them). */
export interface TestAppOptions {
  logStream?: DestinationStream;
}

/** Builds the app over a migrated test database and starts it on 127.0.0.1; `env` overrides settings. */
export async function startTestApp(env: Record<string, string> = {}, options: TestAppOptions = {}): Promise<TestApp> {
  return serveApp(await createTestDatabase(env), options);
}

/** Builds the app over a database the test prepared and starts it; `close` also drops it. */
export async function serveApp(database: TestDatabase, options: TestAppOptions = {}): Promise<TestApp> {
  const app = await buildApp({ config: database.config, db: database.db, logStream: options.logStream });
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    ...database,
    metrics: metricsOf(app),
    async request(method, url, body, headers = {}) {
      const response = await fetch(`http://127.0.0.1:${port}${withSpecQuery(method, url)}`, {
        method,
        headers: { accept: 'application/json', ...SPEC_PARAMETER_HEADERS, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
      const text = await response.text();
      return {
        status: response.status,
        headers: Object.fromEntries(response.headers.entries()),
        // JSON answers are parsed; XML, CSV and other types are left as text.
        body: text && /json/.test(response.headers.get('content-type') ?? '') ? JSON.parse(text) : undefined,
        text,
      };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await closeApp(app);
      await database.drop();
    },
  };
}
