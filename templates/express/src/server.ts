import { createServer } from 'node:http';
import { buildApp, closeApp, lifecycleOf, metricsOf } from './app.js';
import { ConfigError, type Config, loadConfig } from './config.js';
import { createDb } from './db/database.js';
import { startMetricsServer } from './http/metrics.js';
import { closeConnectionsAfterResponses, serverOptions } from './http/server-options.js';

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
  const log = app.locals.logger as import('pino').Logger;
  if (db.kind === 'pglite') log.warn({ dir: config.PGLITE_DIR }, 'DATABASE_URL is not set: using the embedded PGlite database');
  const server = createServer(serverOptions(config), app);
  await new Promise<void>((resolve) => server.listen(config.PORT, config.HOST, resolve));
  log.info({ port: config.PORT, host: config.HOST }, 'listening');
  if (config.METRICS_PORT > 0) {
    (await startMetricsServer(metricsOf(app), config.METRICS_PORT, config.METRICS_HOST)).unref();
    log.info({ port: config.METRICS_PORT }, 'metrics on /metrics');
  }

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    // Readiness answers 503 at once, so load balancers stop routing here while requests still succeed.
    lifecycleOf(app).draining = true;
    closeConnectionsAfterResponses(server);
    log.info({ signal, delayMs: config.SHUTDOWN_DELAY_MS }, 'shutting down: readiness is 503, finishing requests in flight');
    const timer = setTimeout(() => {
      log.error('grace period over, exiting with requests still open');
      process.exit(1);
    }, config.SHUTDOWN_GRACE_MS);
    timer.unref();
    if (config.SHUTDOWN_DELAY_MS > 0) await new Promise((resolve) => setTimeout(resolve, config.SHUTDOWN_DELAY_MS));
    // Stops listening; the callback runs once every request in flight has been answered.
    server.close(async () => {
      await closeApp(app).catch(() => undefined);
      await db.close().catch(() => undefined);
      process.exit(0);
    });
    // Keep-alive connections that were busy close as soon as their response is sent (above).
    server.closeIdleConnections();
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
