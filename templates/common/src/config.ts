import { existsSync } from 'node:fs';
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
/** HS256 keys shorter than the hash output are weak (RFC 7518 §3.2). */
const MIN_SECRET_BYTES = 32;
/** How to make a good key, in every message about a bad one. */
const SECRET_HINT = 'generate one with `npm run secret` (or `openssl rand -base64 32`)';

/**
 * Why `secret` does not look like random bytes, or undefined when it does.
 * A key must be made by a generator, not typed: phrases, placeholders and
 * repeated patterns are refused even when they are long. Accepted: 64+ hex
 * digits (`openssl rand -hex 32`), or 32+ bytes with no whitespace, three
 * kinds of characters (lower case, upper case, digits, others) and at least
 * 20 distinct characters, as base64 of 32 random bytes has.
 */
export function secretWeakness(secret: string): string | undefined {
  if (Buffer.byteLength(secret) < MIN_SECRET_BYTES) return `must be at least ${MIN_SECRET_BYTES} bytes (256 bits) of random text`;
  if (/change[\W_]*me|placeholder|secret|password/i.test(secret)) return 'is a placeholder, not a key';
  const distinct = new Set(secret).size;
  // Runs random keys have are not refused: 7 in hex (a 32-byte key has one about once in 300,000),
  // 6 elsewhere (base64: once in 28 million; 5 was once in 400,000, and a test of 200 keys hit it).
  if (/^[0-9a-f]+$/i.test(secret)) {
    const random = secret.length >= 2 * MIN_SECRET_BYTES && distinct >= 8 && !/(.)\1{6}/.test(secret);
    return random ? undefined : 'is not random (too few distinct hex digits for 32 bytes, or a repeated one)';
  }
  if (/(.)\1{5}/.test(secret)) return 'is not random (a character repeated 6 times in a row)';
  if (/\s/.test(secret)) return 'is a phrase, not a key (it has whitespace)';
  const kinds = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((k) => k.test(secret)).length;
  if (kinds < 3 || distinct < 20) return 'is not random (too few kinds of characters or too few distinct ones)';
  return undefined;
}

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/**
 * Every setting of the service, read from the environment and validated
 * once at start. Add your own keys here; they become typed `config.KEY`.
 */
export const configSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    PORT: int(0, 65535).default(3000),
    HOST: z.string().min(1).default('0.0.0.0'),
    /**
     * Prometheus metrics (GET /metrics) on their own port, never the API's. Off (0) unless set: two
     * processes on one machine (dev server, tests) would fight over a fixed port. k8s sets 9464.
     */
    METRICS_PORT: int(0, 65535).default(0),
    METRICS_HOST: z.string().min(1).default('0.0.0.0'),
    /** postgres://user:pass@host:5432/db. Unset: the embedded PGlite database in PGLITE_DIR. */
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
      .optional(),
    /** Where PGlite keeps its files when DATABASE_URL is unset; `memory` keeps nothing. */
    PGLITE_DIR: z.string().min(1).default('./.data/pglite'),
    DB_POOL_MAX: int(1, 1000).default(20),
    DB_IDLE_TIMEOUT_MS: int(0, 3_600_000).default(30_000),
    DB_CONNECTION_TIMEOUT_MS: int(1, 600_000).default(2_000),
    DB_STATEMENT_TIMEOUT_MS: int(0, 3_600_000).default(5_000),
    /**
     * How long the client waits for any answer to a query before giving up (503), even from a
     * database that stopped answering (frozen, unreachable): the statement timeout cannot fire
     * there. Unset: DB_STATEMENT_TIMEOUT_MS + 2 s (none when that is 0). Must be longer than the
     * statement timeout, so a slow statement is cancelled by the server first.
     */
    DB_QUERY_TIMEOUT_MS: int(0, 3_600_000).optional(),
    /**
     * Named (prepared) statements: each pooled connection parses and plans a query once, then
     * only binds it — less than half the database CPU per read. Set false behind a connection
     * pooler in transaction mode that cannot keep them (PgBouncer before 1.21, or without
     * max_prepared_statements).
     */
    DB_PREPARED_STATEMENTS: bool.default(true),
    /** redis://host:6379. Shared state for several replicas (rate limits). */
    REDIS_URL: z
      .string()
      .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
      .optional(),
    /** Comma-separated origins allowed to call the API from a browser; empty allows none. */
    CORS_ORIGINS: z
      .string()
      .default('')
      .transform((v) =>
        v
          .split(',')
          .map((o) => o.trim())
          .filter(Boolean),
      )
      .pipe(z.array(z.url({ protocol: /^https?$/ }))),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** Largest accepted request body, in bytes. */
    BODY_LIMIT_BYTES: int(1, 100 * 1024 * 1024).default(102_400),
    /** How long SIGTERM waits for in-flight requests before exiting anyway. */
    SHUTDOWN_GRACE_MS: int(0, 600_000).default(10_000),
    /** How long a client may take to send a whole request (slow clients hold a connection each). */
    HTTP_REQUEST_TIMEOUT_MS: int(1_000, 3_600_000).default(30_000),
    /** How long a client may take to send the request headers. */
    HTTP_HEADERS_TIMEOUT_MS: int(1_000, 3_600_000).default(10_000),
    /** How long an idle keep-alive connection stays open; above a load balancer's idle timeout (AWS ALB: 60 s). */
    HTTP_KEEP_ALIVE_TIMEOUT_MS: int(1_000, 3_600_000).default(72_000),
    /** Deepest nesting of objects and arrays accepted in a JSON body. */
    JSON_MAX_DEPTH: int(1, 1000).default(32),
    /** Requests per client (IP address) per RATE_LIMIT_WINDOW_MS, on every route but /health. */
    RATE_LIMIT_MAX: int(1, 100_000_000).default(300),
    /** The stricter limit on /api/v1/auth/* (login, register, refresh…), per client. */
    RATE_LIMIT_AUTH_MAX: int(1, 100_000_000).default(20),
    /**
     * Attempts per account per window on login, register, refresh and password change, from any
     * number of addresses (each action counted apart); shared through Redis like the other limits.
     */
    RATE_LIMIT_ACCOUNT_MAX: int(1, 100_000_000).default(10),
    RATE_LIMIT_WINDOW_MS: int(1_000, 3_600_000).default(60_000),
    /** Prefix of the rate-limit keys in Redis, so several services can share one Redis. */
    RATE_LIMIT_PREFIX: z.string().min(1).max(100).default('rl:'),
    /** Event-loop delay above which requests get 503 + Retry-After (0: never). */
    OVERLOAD_MAX_EVENT_LOOP_DELAY_MS: int(0, 60_000).default(1_000),
    /** How long /health/ready waits for the database before answering 503. */
    HEALTH_TIMEOUT_MS: int(1, 60_000).default(1_000),
    /** After SIGTERM, how long the server keeps serving with /health/ready at 503 before closing (load balancers notice). */
    SHUTDOWN_DELAY_MS: int(0, 600_000).default(0),
    /** How long a stored Idempotency-Key answer is replayed. */
    IDEMPOTENCY_TTL_MS: int(1_000, 30 * 86_400_000).default(86_400_000),
    /** Trust X-Forwarded-* from a proxy in front of the service. */
    TRUST_PROXY: bool.default(false),
    /** Directory of the migration files. */
    MIGRATIONS_DIR: z.string().min(1).default('migrations'),
    /**
     * Least privilege: the role the service connects as. `npm run migrate` (run as the schema's
     * owner) grants it select/insert/update/delete on the tables, now and for future ones, and
     * nothing else. Unset: no grants (the service uses the owner's DATABASE_URL).
     */
    DB_APP_ROLE: z
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lower-case PostgreSQL role name')
      .optional(),
    /** With DB_APP_ROLE: creates the role with this password when it does not exist (needs CREATEROLE). */
    DB_APP_PASSWORD: z.string().min(1).optional(),
    /**
     * HS256 key of the access tokens, at least 32 bytes (256 bits) of random text
     * (`npm run secret` prints one); phrases and patterns are refused ({@link secretWeakness}).
     * Required in production; elsewhere a random key is made per process (with a warning).
     */
    JWT_SECRET: z.string().optional(),
    /** `iss` and `aud` of the access tokens, checked on every request. */
    JWT_ISSUER: z.string().min(1).default('api'),
    JWT_AUDIENCE: z.string().min(1).default('api'),
    /** Access token lifetime (default 15 minutes). */
    AUTH_ACCESS_TOKEN_TTL_SECONDS: int(30, 3600).default(900),
    /**
     * The `Secure` attribute of the session cookie login sets when the spec has an apiKey cookie
     * scheme (src/auth/session-cookie.ts). false only for plain-http development (a browser keeps
     * no Secure cookie from http://); refused in production.
     */
    AUTH_COOKIE_SECURE: bool.default(true),
    /**
     * How long a replica remembers an account (role, token version) before reading it again: the
     * longest a logout, password change, role change or deleted account takes to reach every
     * replica and process (this one's own changes count at once). 0 reads it on every request.
     */
    AUTH_ACCOUNT_CACHE_MS: int(0, 60_000).default(5_000),
    /** Absolute lifetime of a login session (refresh token family); rotation never extends it. */
    AUTH_REFRESH_TOKEN_TTL_DAYS: int(1, 365).default(30),
    /** argon2id cost; the minimums are OWASP's (m=19456 KiB, t=2, p=1): raise them, never lower. */
    AUTH_ARGON2_MEMORY_KIB: int(19_456, 4_194_304).default(19_456),
    AUTH_ARGON2_TIME_COST: int(2, 100).default(2),
    AUTH_ARGON2_PARALLELISM: int(1, 64).default(1),
    /** Failed logins before an account is delayed; each further failure doubles the delay (1 s, 2 s, 4 s …). */
    AUTH_LOCKOUT_THRESHOLD: int(1, 1000).default(5),
    /** The longest delay a run of failed logins can impose on an account. */
    AUTH_LOCKOUT_MAX_SECONDS: int(1, 86_400).default(300),
  })
  .transform((c) => ({
    ...c,
    DB_QUERY_TIMEOUT_MS: c.DB_QUERY_TIMEOUT_MS ?? (c.DB_STATEMENT_TIMEOUT_MS ? c.DB_STATEMENT_TIMEOUT_MS + 2_000 : 0),
  }))
  .superRefine((c, ctx) => {
    if (c.DB_QUERY_TIMEOUT_MS > 0 && c.DB_STATEMENT_TIMEOUT_MS > 0 && c.DB_QUERY_TIMEOUT_MS <= c.DB_STATEMENT_TIMEOUT_MS) {
      ctx.addIssue({
        code: 'custom',
        path: ['DB_QUERY_TIMEOUT_MS'],
        message: 'must be longer than DB_STATEMENT_TIMEOUT_MS (the server cancels a slow statement first; the client timeout is for a database that does not answer at all)',
      });
    }
    if (c.HTTP_HEADERS_TIMEOUT_MS > c.HTTP_REQUEST_TIMEOUT_MS) {
      ctx.addIssue({ code: 'custom', path: ['HTTP_HEADERS_TIMEOUT_MS'], message: 'must not be longer than HTTP_REQUEST_TIMEOUT_MS' });
    }
    if (c.SHUTDOWN_GRACE_MS > 0 && c.SHUTDOWN_DELAY_MS >= c.SHUTDOWN_GRACE_MS) {
      ctx.addIssue({
        code: 'custom',
        path: ['SHUTDOWN_DELAY_MS'],
        message: 'must be shorter than SHUTDOWN_GRACE_MS (requests in flight need time to finish after it)',
      });
    }
    if (c.NODE_ENV === 'production' && !c.DATABASE_URL) {
      ctx.addIssue({
        code: 'custom',
        path: ['DATABASE_URL'],
        message:
          'is required when NODE_ENV=production (the embedded PGlite database is for development and tests only)',
      });
    }
    if (c.NODE_ENV === 'production' && !c.AUTH_COOKIE_SECURE) {
      ctx.addIssue({
        code: 'custom',
        path: ['AUTH_COOKIE_SECURE'],
        message: 'must not be false when NODE_ENV=production (a cookie without Secure travels over plain http too); it is for local http development',
      });
    }
    const weakness = c.JWT_SECRET === undefined ? undefined : secretWeakness(c.JWT_SECRET);
    if (weakness) ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: `${weakness}: ${SECRET_HINT}` });
    // A missing key in production is refused by loadConfig, which knows whether the caller signs tokens.
  });

/** The validated settings. */
export type Config = z.output<typeof configSchema>;

/** Thrown when the environment does not describe a valid configuration. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Options of {@link loadConfig}. */
export interface LoadConfigOptions {
  /**
   * false for tools that sign no tokens (`npm run migrate`): production does not require
   * JWT_SECRET there, so the migration step is given the database owner's credentials and
   * nothing else. A JWT_SECRET that is set is still checked.
   */
  signsTokens?: boolean;
}

/**
 * Validates `env` (default: `process.env`, after loading `.env` if there is
 * one) and returns the settings, or throws a ConfigError that lists every
 * bad variable.
 */
export function loadConfig(env: Record<string, string | undefined> = readEnv(), options: LoadConfigOptions = {}): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = configSchema.safeParse(cleaned);
  const issues = parsed.success ? [] : parsed.error.issues.map((i) => ({ path: i.path.join('.') || '(env)', message: i.message }));
  if (options.signsTokens !== false && cleaned.NODE_ENV === 'production' && cleaned.JWT_SECRET === undefined) {
    issues.push({
      path: 'JWT_SECRET',
      message: `is required when NODE_ENV=production (at least 32 random bytes; tokens signed with a per-process key die with the process): ${SECRET_HINT}`,
    });
  }
  if (parsed.success && issues.length === 0) return parsed.data;
  const lines = issues.map((i) => `  ${i.path}: ${i.message}`);
  throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
}

function readEnv(): Record<string, string | undefined> {
  // Values already in the environment win over the .env file.
  if (existsSync('.env')) process.loadEnvFile('.env');
  return process.env;
}
