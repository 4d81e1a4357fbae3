import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { isIPv6 } from 'node:net';
import { Redis } from 'ioredis';
import { isProbe } from '../auth/access-control.js';
import type { Config } from '../config.js';
import { AppError } from './errors.js';
import { withTimeout } from './lifecycle.js';

/** A counter for one key over a fixed window. */
export interface RateLimitStore {
  /** Counts one hit of `key`; returns the hits so far in the window and the milliseconds until it ends. */
  hit(key: string, windowMs: number): Promise<{ count: number; resetMs: number }>;
  /** `hit` answered at once, for stores that count in process (no promise on every request). */
  hitNow?(key: string, windowMs: number): { count: number; resetMs: number };
  close(): Promise<void>;
}

/** In-process counters: right for one replica (and for tests). */
export class MemoryStore implements RateLimitStore {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(windowMs: number) {
    // Expired windows are dropped in the background so memory stays bounded by the active clients.
    this.sweeper = setInterval(() => {
      const now = Date.now();
      for (const [key, w] of this.windows) if (w.resetAt <= now) this.windows.delete(key);
    }, windowMs);
    this.sweeper.unref();
  }

  async hit(key: string, windowMs: number): Promise<{ count: number; resetMs: number }> {
    return this.hitNow(key, windowMs);
  }

  hitNow(key: string, windowMs: number): { count: number; resetMs: number } {
    const now = Date.now();
    let w = this.windows.get(key);
    if (!w || w.resetAt <= now) {
      w = { count: 0, resetAt: now + windowMs };
      this.windows.set(key, w);
    }
    w.count++;
    return { count: w.count, resetMs: w.resetAt - now };
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
  }
}

// INCR and the expiry in one atomic step: two replicas can never both start a window.
const HIT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return { count, ttl }`;

/** Counters in Redis, shared by every replica. */
export class RedisStore implements RateLimitStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async hit(key: string, windowMs: number): Promise<{ count: number; resetMs: number }> {
    // Right after start the first connection may still be opening: wait for it briefly rather than
    // letting the first requests through uncounted (a Redis that is down fails at once instead).
    if (this.redis.status === 'connecting' || this.redis.status === 'connect') {
      await withTimeout(once(this.redis, 'ready'), 1_000);
    }
    const [count, ttl] = (await this.redis.eval(HIT, 1, this.prefix + key, windowMs)) as [number, number];
    return { count, resetMs: ttl };
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}

/** The verdict on one request. */
export interface RateLimitResult {
  limited: boolean;
  /** RateLimit-* and, when limited, Retry-After headers. */
  headers: Record<string, string>;
}

/** Logs a warning, at most once per interval (a Redis outage would otherwise log every request). */
export type Warn = (message: string, error: unknown) => void;

/** The budget of a request, chosen from the route it matched (never from the raw path). */
export type Budget = 'all' | 'auth' | 'none';

/**
 * The budget of a request that matched `route` (the route's pattern, e.g.
 * `/api/v1/auth/login`; undefined when no route matched): the route decides,
 * so `/api/v1/%61uth/login` or `/API/V1/AUTH/LOGIN`, when a router lets them
 * reach login, count against the auth budget as login itself does.
 */
export function budgetOf(route: string | undefined): Budget {
  if (route === undefined) return 'all';
  // The project's own probes only: a spec's operation under /health/ is limited as any other.
  if (isProbe(route)) return 'none';
  return route.startsWith('/api/v1/auth/') ? 'auth' : 'all';
}

/** `::ffff:a.b.c.d`: an IPv4 client as a dual-stack socket reports it. */
const MAPPED_IPV4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i;

/** The 16-bit groups of one side of an IPv6 `::` (an embedded IPv4 address is two). */
function groupsOf(part: string): string[] {
  return part === '' ? [] : part.split(':').flatMap((g) => (g.includes('.') ? ['0', '0'] : [g]));
}

/**
 * The client a rate limit counts for an address: an IPv4 address as it is
 * (mapped ones, `::ffff:a.b.c.d`, unwrapped), an IPv6 address by its /64.
 * One IPv6 subscriber holds at least a /64, so counting each address apart
 * let one client rotate through 2^64 budgets; a /64 is never shared by
 * two subscribers. Anything else (no address) is kept as it is.
 */
export function clientKey(ip: string): string {
  // Every request passes here: an IPv4 address (no colon) is returned before any allocation.
  if (!ip.includes(':')) return ip;
  const address = ip.split('%')[0]!;
  if (!isIPv6(address)) return ip;
  const mapped = MAPPED_IPV4.exec(address);
  if (mapped) return mapped[1]!;
  const [head = '', tail] = address.toLowerCase().split('::');
  const first = groupsOf(head);
  const last = tail === undefined ? [] : groupsOf(tail);
  const groups = tail === undefined ? first : [...first, ...Array<string>(8 - first.length - last.length).fill('0'), ...last];
  return `${groups.slice(0, 4).map((g) => Number.parseInt(g, 16).toString(16)).join(':')}::/64`;
}

/** The actions limited per account, besides per client address. */
export type AccountAction = 'login' | 'register' | 'refresh' | 'password';

/** Per-account limits, as the auth service sees them: throws 429 when `account` is over its budget for `action`. */
export interface AccountLimits {
  hit(action: AccountAction, account: string): Promise<void>;
}

/**
 * Fixed-window rate limits per client: `RATE_LIMIT_MAX` requests per window on
 * every route but the project's own probes (`/health/live`, `/health/ready`), and the stricter `RATE_LIMIT_AUTH_MAX` on
 * `/api/v1/auth/*` (the budget is chosen from the matched route,
 * {@link budgetOf}). Besides, login, register, refresh and password change
 * are limited per account (`RATE_LIMIT_ACCOUNT_MAX`, {@link RateLimiter.hit}),
 * so guesses spread over many addresses still meet a bound. The client is the IP address the framework derives with
 * `TRUST_PROXY` (so with no trusted proxy a forged X-Forwarded-For changes
 * nothing). With `REDIS_URL` the counters live in Redis; if Redis cannot be
 * reached the limiter fails open (the request passes and a warning is
 * logged): an outage of the cache must not take the API down with it.
 */
export class RateLimiter implements AccountLimits {
  constructor(
    private readonly store: RateLimitStore,
    private readonly config: Pick<Config, 'RATE_LIMIT_MAX' | 'RATE_LIMIT_AUTH_MAX' | 'RATE_LIMIT_ACCOUNT_MAX' | 'RATE_LIMIT_WINDOW_MS'>,
    private readonly warn: Warn,
  ) {}

  /** Counts a request from `client` (an address, see {@link clientKey}) against `budget`; `undefined` when it is not limited. */
  async check(client: string, budget: Budget): Promise<RateLimitResult | undefined> {
    if (budget === 'none') return undefined;
    let hit: { count: number; resetMs: number };
    try {
      hit = await this.store.hit(`${budget}:${clientKey(client)}`, this.config.RATE_LIMIT_WINDOW_MS);
    } catch (error) {
      this.warn('rate limit store unreachable: requests pass unlimited until it answers', error);
      return undefined;
    }
    return this.verdict(budget, hit);
  }

  /**
   * {@link check}, answered at once when the counters are in memory: no
   * promise and no microtask on every request (a Promise with Redis).
   */
  checkNow(client: string, budget: Budget): RateLimitResult | undefined | Promise<RateLimitResult | undefined> {
    if (budget === 'none') return undefined;
    if (!this.store.hitNow) return this.check(client, budget);
    return this.verdict(budget, this.store.hitNow(`${budget}:${clientKey(client)}`, this.config.RATE_LIMIT_WINDOW_MS));
  }

  private verdict(budget: 'all' | 'auth', hit: { count: number; resetMs: number }): RateLimitResult {
    const max = budget === 'auth' ? this.config.RATE_LIMIT_AUTH_MAX : this.config.RATE_LIMIT_MAX;
    const resetSeconds = String(Math.max(1, Math.ceil(hit.resetMs / 1000)));
    const headers: Record<string, string> = {
      'ratelimit-limit': String(max),
      'ratelimit-remaining': String(Math.max(0, max - hit.count)),
      'ratelimit-reset': resetSeconds,
    };
    if (hit.count <= max) return { limited: false, headers };
    headers['retry-after'] = resetSeconds;
    return { limited: true, headers };
  }

  /**
   * Counts an attempt of `action` on `account` (an email, lower-cased, or a
   * user id), whatever address it comes from; throws 429 over
   * RATE_LIMIT_ACCOUNT_MAX per window. The key holds a hash, never the email.
   * Fails open like {@link check}.
   */
  async hit(action: AccountAction, account: string): Promise<void> {
    const digest = createHash('sha256').update(account).digest('base64url').slice(0, 22);
    let hit: { count: number; resetMs: number };
    try {
      hit = await this.store.hit(`acct:${action}:${digest}`, this.config.RATE_LIMIT_WINDOW_MS);
    } catch (error) {
      this.warn('rate limit store unreachable: requests pass unlimited until it answers', error);
      return;
    }
    if (hit.count <= this.config.RATE_LIMIT_ACCOUNT_MAX) return;
    const retryAfter = String(Math.max(1, Math.ceil(hit.resetMs / 1000)));
    throw new AppError(429, 'TOO_MANY_REQUESTS', 'Too many attempts for this account; retry after the time in Retry-After.', undefined, {
      'retry-after': retryAfter,
    });
  }

  close(): Promise<void> {
    return this.store.close();
  }
}

/** `warn` at most once per 10 s: an outage would otherwise log on every request. */
function throttled(warn: Warn): Warn {
  let last = 0;
  return (message, error) => {
    const now = Date.now();
    if (now - last < 10_000) return;
    last = now;
    warn(message, error);
  };
}

/** The limiter the configuration asks for: Redis when REDIS_URL is set, memory otherwise. */
export function createRateLimiter(config: Config, warn: Warn): RateLimiter {
  const log = throttled(warn);
  let store: RateLimitStore;
  if (config.REDIS_URL) {
    const redis = new Redis(config.REDIS_URL, {
      // Fail fast instead of queueing commands while Redis is away: the limiter then fails open.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 1_000,
      commandTimeout: 500,
    });
    // ioredis reconnects by itself; its errors are worth a (throttled) warning, not a crash.
    redis.on('error', (error: unknown) => log('rate limit store (Redis) error', error));
    store = new RedisStore(redis, config.RATE_LIMIT_PREFIX);
  } else {
    store = new MemoryStore(config.RATE_LIMIT_WINDOW_MS);
  }
  return new RateLimiter(store, config, log);
}
