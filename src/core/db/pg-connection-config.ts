import type { ClientConfig } from 'pg';
import { parse, toClientConfig } from 'pg-connection-string';

/** The `sslmode` values tenon accepts: libpq's six, and `no-verify` (pg's name for `require`). */
export const SSL_MODES = [
  'disable',
  'allow',
  'prefer',
  'require',
  'verify-ca',
  'verify-full',
  'no-verify',
] as const;

/** One of {@link SSL_MODES}. */
export type SslMode = (typeof SSL_MODES)[number];

/** How to open `pg` connections for a URL: the settings, and the TLS settings to try in turn. */
export interface PgConnectionConfig {
  /** Everything but `ssl`. */
  base: ClientConfig;
  /**
   * `ssl` values to try, in order, while the server refuses the previous
   * one: `prefer` tries TLS, then plain; `allow` plain, then TLS; every
   * other mode has one.
   */
  ssl: ClientConfig['ssl'][];
}

/** A reason the URL cannot be turned into connection settings (caller makes it `TENON_DB_URL_INVALID`). */
export class PgUrlProblem extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

/** Where to connect, as `parseDatabaseUrl` read it from the URL and the environment. */
export interface PgTarget {
  url: string;
  host: string;
  port: number;
  user: string;
  database: string;
  sslmode: SslMode | undefined;
}

const TLS_HINT =
  'Use sslmode=require to encrypt, or sslmode=verify-full with sslrootcert=/path/to/ca.pem to also check the server certificate.';

/** The URL without some query parameters, everything else byte for byte. */
function withoutParams(url: string, names: readonly string[]): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const [query, hash = ''] = url.slice(q + 1).split(/#(.*)/s, 2) as [string, string?];
  const kept = query.split('&').filter((pair) => !names.includes(pair.split('=')[0]!.toLowerCase()));
  return `${url.slice(0, q)}${kept.length ? `?${kept.join('&')}` : ''}${hash ? `#${hash}` : ''}`;
}

/**
 * Turns a `postgres://` URL into `pg` settings with libpq's meaning of
 * `sslmode` (what psql, and pg 9, do): `require` encrypts without checking
 * the certificate, `verify-ca` checks it against `sslrootcert`,
 * `verify-full` also checks the host name, `prefer` uses TLS when the
 * server offers it. pg 8 reads `prefer`/`require`/`verify-ca` as
 * `verify-full` and prints a multi-line warning on every run; tenon reads
 * `sslmode` itself, so the driver never sees it.
 *
 * @throws PgUrlProblem for an unknown `sslmode`, `verify-ca` without
 *   `sslrootcert`, or a certificate file that cannot be read.
 */
export function pgConnectionConfig(target: PgTarget): PgConnectionConfig {
  const { sslmode } = target;
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(withoutParams(target.url, ['sslmode', 'uselibpqcompat']));
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { path?: string };
    if (e.code === 'ENOENT' || e.code === 'EACCES' || e.code === 'EISDIR') {
      throw new PgUrlProblem(
        `the certificate file ${e.path ?? ''} cannot be read (${e.code})`,
        'Check the sslrootcert, sslcert and sslkey paths in the URL.',
      );
    }
    throw new PgUrlProblem('it is not a valid URL');
  }
  const { ssl: fromUrl, ...fromString } = toClientConfig(parsed);
  // Where to connect as tenon read it (with libpq's defaults), so messages and the driver agree.
  const base: ClientConfig = {
    ...fromString,
    host: target.host,
    port: target.port,
    user: target.user,
    database: target.database,
  };
  // Certificate files named in the URL (sslrootcert, sslcert, sslkey), kept whatever the mode.
  const files = typeof fromUrl === 'object' ? fromUrl : {};
  const encryptOnly = { ...files, rejectUnauthorized: false };
  const checkCa = { ...files, checkServerIdentity: () => undefined };
  switch (sslmode) {
    case undefined:
      return { base, ssl: [fromUrl] };
    case 'disable':
      return { base, ssl: [false] };
    case 'allow':
      return { base, ssl: [false, encryptOnly] };
    case 'prefer':
      return { base, ssl: [encryptOnly, false] };
    case 'require':
    case 'no-verify':
      // libpq: require with a root certificate verifies the chain, like verify-ca.
      return { base, ssl: [sslmode === 'require' && files.ca ? checkCa : encryptOnly] };
    case 'verify-ca':
      if (!files.ca) {
        throw new PgUrlProblem(
          'sslmode=verify-ca needs the CA certificate to check against (sslrootcert=FILE)',
          TLS_HINT,
        );
      }
      return { base, ssl: [checkCa] };
    case 'verify-full':
      return { base, ssl: [{ ...files }] };
  }
}
