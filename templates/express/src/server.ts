import { createServer } from 'node:http';
import { buildApp } from './app.js';
import { ConfigError, type Config, loadConfig } from './config.js';
import { createDb } from './db/database.js';

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  const db = await createDb(config);
  const app = await buildApp({ config, db });
  const log = app.locals.logger as import('pino').Logger;
  if (db.kind === 'pglite') log.warn({ dir: config.PGLITE_DIR }, 'DATABASE_URL is not set: using the embedded PGlite database');
  const server = createServer(app);
  server.keepAliveTimeout = 72_000;
  await new Promise<void>((resolve) => server.listen(config.PORT, config.HOST, resolve));
  log.info({ port: config.PORT, host: config.HOST }, 'listening');

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    log.info({ signal }, 'shutting down: no new connections, finishing requests in flight');
    const timer = setTimeout(() => {
      log.error('grace period over, exiting with requests still open');
      process.exit(1);
    }, config.SHUTDOWN_GRACE_MS);
    timer.unref();
    server.close(async () => {
      await db.close().catch(() => undefined);
      process.exit(0);
    });
    server.closeIdleConnections();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
