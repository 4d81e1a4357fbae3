import { buildApp } from './app.js';
import { ConfigError, type Config, loadConfig } from './config.js';
import { createDb } from './db/database.js';
import { startMetricsServer } from './http/metrics.js';
import { closeConnectionsAfterResponses } from './http/server-options.js';

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  // PGlite: a server restarting (tsx watch) may wait a little for the old process to let the directory go.
  const db = await createDb(config, { lockWaitMs: 10_000 });
  const app = await buildApp({ config, db });
  if (db.kind === 'pglite') app.log.warn({ dir: config.PGLITE_DIR }, 'DATABASE_URL is not set: using the embedded PGlite database');
  await app.listen({ port: config.PORT, host: config.HOST });
  if (config.METRICS_PORT > 0) {
    (await startMetricsServer(app.metrics, config.METRICS_PORT, config.METRICS_HOST)).unref();
    app.log.info({ port: config.METRICS_PORT }, 'metrics on /metrics');
  }

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    // Readiness answers 503 at once, so load balancers stop routing here while requests still succeed.
    app.lifecycle.draining = true;
    closeConnectionsAfterResponses(app.server);
    app.log.info({ signal, delayMs: config.SHUTDOWN_DELAY_MS }, 'shutting down: readiness is 503, finishing requests in flight');
    const timer = setTimeout(() => {
      app.log.error('grace period over, exiting with requests still open');
      process.exit(1);
    }, config.SHUTDOWN_GRACE_MS);
    timer.unref();
    try {
      if (config.SHUTDOWN_DELAY_MS > 0) await new Promise((resolve) => setTimeout(resolve, config.SHUTDOWN_DELAY_MS));
      // Stops listening, closes idle keep-alive connections, waits for requests in flight.
      await app.close();
      await db.close();
      process.exit(0);
    } catch (error) {
      app.log.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
