import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { lazyChildLogger } from '../../src/http/lazy-child-logger.js';
import { accessLogger, loggerOptions } from '../../src/logger.js';

function capture() {
  const lines: Record<string, unknown>[] = [];
  let text = '';
  const sink = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk);
      for (const line of String(chunk).split('\n')) if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const logger = pino(loggerOptions(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'info' })), sink);
  return { logger, lines, text: () => text };
}

describe('request logging', () => {
  it('request.log is made on its first call, with the request id and the app logger’s redaction', () => {
    const { logger, lines, text } = capture();
    let children = 0;
    const child = logger.child.bind(logger);
    logger.child = ((...args: Parameters<typeof child>) => {
      children++;
      return child(...args);
    }) as typeof logger.child;
    const log = lazyChildLogger(logger, { reqId: 'req-1' }, {});
    // Fastify checks every request's logger has these methods: reading them must not make the child.
    for (const method of ['info', 'error', 'debug', 'fatal', 'warn', 'trace', 'child'] as const) {
      expect(typeof log[method]).toBe('function');
    }
    expect(log.level).toBe('info');
    expect(children).toBe(0);
    log.debug('below the level');
    log.warn({ body: { password: 'hunter2-secret' } }, 'a warning');
    log.error(new Error('boom'));
    expect(children).toBe(1);
    expect(lines).toEqual([
      expect.objectContaining({ reqId: 'req-1', level: 40, msg: 'a warning', body: { password: '[redacted]' } }),
      expect.objectContaining({ reqId: 'req-1', level: 50, msg: 'boom' }),
    ]);
    expect(text()).not.toContain('hunter2-secret');
  });

  it('the access line has its own logger; every other line is still redacted', () => {
    const { logger, lines, text } = capture();
    const access = accessLogger(logger);
    access.info({ reqId: 'req-2', method: 'GET', url: '/api/v1/things/1', status: 200, ms: 1.5 }, 'request');
    logger.info({ session: { accessToken: 'access-secret' } }, 'other');
    expect(lines[0]).toEqual(
      expect.objectContaining({ reqId: 'req-2', method: 'GET', url: '/api/v1/things/1', status: 200, ms: 1.5, msg: 'request' }),
    );
    expect(lines[1]).toEqual(expect.objectContaining({ session: { accessToken: '[redacted]' } }));
    expect(text()).not.toContain('access-secret');
  });
});
