import type { DestinationStream } from 'pino';
import { buildApp } from '../../src/app.js';
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

/** The app on a fresh database, called in process (no port). */
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

/** Builds the app over a migrated test database; `env` overrides settings. */
export async function startTestApp(env: Record<string, string> = {}, options: TestAppOptions = {}): Promise<TestApp> {
  return serveApp(await createTestDatabase(env), options);
}

/** Builds the app over a database the test prepared; `close` also drops it. */
export async function serveApp(database: TestDatabase, options: TestAppOptions = {}): Promise<TestApp> {
  const app = await buildApp({ config: database.config, db: database.db, logStream: options.logStream });
  await app.ready();
  return {
    ...database,
    metrics: app.metrics,
    async request(method, url, body, headers = {}) {
      const response = await app.inject({
        method: method as 'GET',
        url: withSpecQuery(method, url),
        headers: { accept: 'application/json', ...SPEC_PARAMETER_HEADERS, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
        ...(body === undefined ? {} : { payload: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
      const text = response.body;
      // JSON answers are parsed; XML, CSV and other types are left as text.
      const json = /json/.test(String(response.headers['content-type']));
      return { status: response.statusCode, headers: response.headers, body: text && json ? JSON.parse(text) : undefined, text };
    },
    async close() {
      await app.close();
      await database.drop();
    },
  };
}
