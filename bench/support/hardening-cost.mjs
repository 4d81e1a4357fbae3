// Per-request cost of the generated project's hardening stack, measured in the
// project itself (run from its directory after `npm run build`):
//   node hardening-cost.mjs [redis://127.0.0.1:6379]
// Prints one JSON object: nanoseconds per operation (median of 5 rounds).
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import helmet from 'helmet';
import { loadConfig } from './dist/config.js';
import { corsPolicy } from './dist/http/cors.js';
import { createRateLimiter } from './dist/http/rate-limit.js';
import { parseJsonBody } from './dist/http/request-guards.js';
import { securityHeaders } from './dist/http/security-headers.js';

const response = () => new ServerResponse(new IncomingMessage(new Socket()));

async function measure(n, fn) {
  const rounds = [];
  for (let r = 0; r < 5; r++) {
    const t = process.hrtime.bigint();
    for (let i = 0; i < n; i++) await fn(i);
    rounds.push(Number(process.hrtime.bigint() - t) / n);
  }
  rounds.sort((a, b) => a - b);
  return Math.round(rounds[2]);
}
function measureSync(n, fn) {
  const rounds = [];
  for (let r = 0; r < 5; r++) {
    const t = process.hrtime.bigint();
    for (let i = 0; i < n; i++) fn(i);
    rounds.push(Number(process.hrtime.bigint() - t) / n);
  }
  rounds.sort((a, b) => a - b);
  return Math.round(rounds[2]);
}

const out = {};
// One response object whose headers are set again and again: the cost of setting them, not of the object.
const res = response();
const headers = securityHeaders();
out.headersPrecomputed = measureSync(100_000, () => {
  for (const name in headers) res.setHeader(name, headers[name]);
});
const perRequestHelmet = helmet({
  contentSecurityPolicy: {
    useDefaults: false,
    directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
  },
  frameguard: { action: 'deny' },
});
out.headersHelmetPerRequest = measureSync(100_000, () => {
  perRequestHelmet({}, res, () => undefined);
  res.setHeader('cache-control', 'no-store');
});
const cors = corsPolicy(['https://app.example.com', 'https://admin.example.com']);
out.corsAllowedOrigin = measureSync(200_000, () => cors('GET', 'https://app.example.com', undefined));
out.corsNoOrigin = measureSync(200_000, () => cors('GET', undefined, undefined));
const body = JSON.stringify({
  name: 'A product name',
  sku: 'AB-123',
  price: 12.5,
  stock: 3,
  tags: ['a', 'b'],
  attributes: { colour: 'red', size: 'M' },
  description: 'x'.repeat(200),
});
out.jsonParse = measureSync(50_000, () => JSON.parse(body));
out.jsonParseWithGuards = measureSync(50_000, () => parseJsonBody(body, 32));
const warn = () => undefined;
const memory = createRateLimiter(loadConfig({ NODE_ENV: 'test', RATE_LIMIT_MAX: '100000000' }), warn);
out.rateLimitMemory = await measure(100_000, (i) =>
  memory.check(`10.0.${(i >> 8) & 255}.${i & 255}`, '/api/v1/items'),
);
await memory.close();
const redisUrl = process.argv[2];
if (redisUrl) {
  const redis = createRateLimiter(
    loadConfig({
      NODE_ENV: 'test',
      RATE_LIMIT_MAX: '100000000',
      REDIS_URL: redisUrl,
      RATE_LIMIT_PREFIX: `bench:${process.pid}:`,
    }),
    warn,
  );
  await redis.check('warm-up', '/api/v1/items');
  out.rateLimitRedisSequential = await measure(5_000, (i) =>
    redis.check(`10.0.0.${i & 255}`, '/api/v1/items'),
  );
  // 50 requests in flight at once, as under load: ioredis pipelines them on one connection.
  out.rateLimitRedisConcurrent50 =
    (await measure(100, async (i) => {
      await Promise.all(
        Array.from({ length: 50 }, (_, j) => redis.check(`10.1.${i & 255}.${j}`, '/api/v1/items')),
      );
    })) / 50;
  await redis.close();
}
console.log(JSON.stringify(out));
