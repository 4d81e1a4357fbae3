import { existsSync } from 'node:fs';
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
/** HS256 keys shorter than the hash output are weak (RFC 7518 §3.2). */
const MIN_SECRET_BYTES = 32;
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
     * HS256 key of the access tokens, at least 32 bytes (256 bits) of random text:
     * `node -e "console.log(require('crypto').randomBytes(32).toString('base64url'))"`.
     * Required in production; elsewhere a random key is made per process (with a warning).
     */
    JWT_SECRET: z.string().optional(),
    /** `iss` and `aud` of the access tokens, checked on every request. */
    JWT_ISSUER: z.string().min(1).default('api'),
    JWT_AUDIENCE: z.string().min(1).default('api'),
    /** Access token lifetime (default 15 minutes). */
    AUTH_ACCESS_TOKEN_TTL_SECONDS: int(30, 3600).default(900),
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
  .superRefine((c, ctx) => {
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
    if (c.JWT_SECRET !== undefined && Buffer.byteLength(c.JWT_SECRET) < MIN_SECRET_BYTES) {
      ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: `must be at least ${MIN_SECRET_BYTES} bytes (256 bits) of random text` });
    } else if (c.JWT_SECRET !== undefined && (new Set(c.JWT_SECRET).size < 8 || /change[\W_]*me/i.test(c.JWT_SECRET))) {
      ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'is not random (a placeholder, or too few distinct characters)' });
    } else if (c.NODE_ENV === 'production' && c.JWT_SECRET === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['JWT_SECRET'],
        message: 'is required when NODE_ENV=production (at least 32 random bytes; tokens signed with a per-process key die with the process)',
      });
    }
  });

/** The validated settings. */
export type Config = z.output<typeof configSchema>;

/** Thrown when the environment does not describe a valid configuration. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Validates `env` (default: `process.env`, after loading `.env` if there is
 * one) and returns the settings, or throws a ConfigError that lists every
 * bad variable.
 */
export function loadConfig(env: Record<string, string | undefined> = readEnv()): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = configSchema.safeParse(cleaned);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(env)'}: ${i.message}`);
  throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
}

function readEnv(): Record<string, string | undefined> {
  // Values already in the environment win over the .env file.
  if (existsSync('.env')) process.loadEnvFile('.env');
  return process.env;
}
