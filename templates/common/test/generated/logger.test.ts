import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { loggerOptions } from '../../src/logger.js';

describe('log redaction', () => {
  it('hides credentials, cookies, passwords and tokens wherever pino meets them', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = pino(loggerOptions(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'info' })), sink);
    const secrets = ['Bearer eyJ.secret', 'sid=secret-cookie', 'hunter2-secret', 'refresh-secret', 'access-secret', 'key-secret'];
    logger.info(
      {
        req: { headers: { authorization: secrets[0], cookie: secrets[1], 'x-api-key': secrets[5], 'user-agent': 'kept' } },
        res: { headers: { 'set-cookie': secrets[1] } },
        body: { email: 'kept@example.com', password: secrets[2], refreshToken: secrets[3] },
        session: { accessToken: secrets[4], newPassword: secrets[2], currentPassword: secrets[2] },
      },
      'request',
    );
    const text = lines.join('');
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(text).toContain('[redacted]');
    expect(text).toContain('kept@example.com');
    expect(text).toContain('kept');
  });
});
