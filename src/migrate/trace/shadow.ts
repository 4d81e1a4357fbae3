import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { connect, parseDatabaseUrl } from '../../core/db/connect.js';
import type { Database } from '../../core/db/database.js';
import { TenonError } from '../../core/errors.js';
import type { MigrationPlan } from '../plan.js';
import { dumpLiveSchema } from './live-schema.js';

/** The throwaway database a trace runs in. */
export interface Shadow {
  db: Database;
  /** `postgres` (a temporary database on the live server) or `pglite` (in memory). */
  kind: 'postgres' | 'pglite';
  /**
   * How it got the live schema: copied PGlite data directory, the live
   * server's schema copied (`pg_dump --schema-only`), replayed migrations
   * (when that copy could not be made), or nothing (empty).
   */
  source: 'pglite-copy' | 'live-schema' | 'replayed' | 'empty';
  /** Shown to the user: `temporary database tenon_shadow_1a2b3c on 127.0.0.1:5432`. */
  description: string;
  /** Migrations replayed to build it. */
  replayed: number;
  /** Drops the temporary database or closes PGlite. Safe to call twice. */
  dispose(): Promise<void>;
}

/**
 * The applied migrations, planned, in the order they were applied: asked for only when the shadow
 * is rebuilt by replaying them (a copy of the live schema needs none, and planning a long history
 * parses every file).
 */
export type AppliedPlans = () => Promise<readonly MigrationPlan[]>;

/** Runs plans on `db` as plain SQL: the schema they build is what matters, not the history. */
export async function replayPlans(
  db: Database,
  plans: readonly MigrationPlan[],
  notCopied?: string,
): Promise<void> {
  await db.withSession(async (session) => {
    for (const plan of plans) {
      try {
        if (plan.transactional) {
          await session.transaction(async (tx) => {
            for (const statement of plan.statements) await tx.exec(statement.sql);
          });
        } else {
          for (const statement of plan.statements) await session.exec(statement.sql);
        }
      } catch (error) {
        throw new TenonError(
          'TENON_MIGRATE_SHADOW_FAILED',
          `Replaying the applied migration ${plan.file} on the shadow database failed: ${(error as Error).message}`,
          {
            cause: error,
            hint: `The shadow was built by running the applied migrations again${notCopied ? `, because the live schema could not be copied (${notCopied})` : ''}; a migration that depends on objects made outside migrations (or on a baseline), or that needed a data fix, cannot be replayed. Make pg_dump (as new as the server) available on the PATH or name it in migrate.pgDump (TENON_MIGRATE_PG_DUMP) so the shadow starts from the live schema, or trace against a copy of the database.`,
            details: { file: plan.file, ...(notCopied ? { notCopied } : {}) },
          },
        );
      }
      // Each migration starts from a clean session, as `up` runs it.
      await session.exec('RESET ALL');
    }
  });
}

function adminUrl(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/**
 * Loads the live server's schema into `db` on a session of its own (the
 * dump's `SET`s, an empty search_path among them, stay there). Returns why
 * not, when it could not: then the caller replays.
 */
async function copyLiveSchema(
  db: Database,
  databaseUrl: string,
  options: { privileges: boolean; pgDump: string | undefined },
): Promise<string | undefined> {
  const dump = await dumpLiveSchema(databaseUrl, options);
  if ('unavailable' in dump) return dump.unavailable;
  try {
    await db.withSession(async (session) => {
      try {
        await session.exec(dump.sql);
      } finally {
        await session.exec('RESET ALL').catch(() => undefined);
      }
    });
    return undefined;
  } catch (error) {
    return `loading the pg_dump of the live schema failed: ${(error as Error).message}`;
  }
}

/** What a shadow built by replay says of itself: why the live schema was not copied. */
function replayedBecause(why: string | undefined): string {
  return why ? ` (applied migrations replayed: ${why})` : '';
}

/**
 * A temporary database on the live server, starting from the live schema:
 * `pg_dump --schema-only` of the live database loaded into it (so schemas,
 * extensions and data fixes made outside migrations are there). Without a
 * usable pg_dump, the applied migrations are replayed instead.
 * (`CREATE DATABASE … TEMPLATE` would need the live database to have no
 * other session, which a production database always has.) It needs the
 * CREATEDB privilege; it is dropped afterwards.
 */
async function serverShadow(
  databaseUrl: string,
  appliedPlans: AppliedPlans,
  pgDump: string | undefined,
): Promise<Shadow> {
  const parsed = parseDatabaseUrl(databaseUrl);
  if (parsed.kind !== 'postgres') throw new Error('serverShadow needs a postgres:// URL');
  const name = `tenon_shadow_${randomBytes(5).toString('hex')}`;
  const admin = await connect({ databaseUrl, maxConnections: 1, applicationName: 'tenon migrate trace' });
  try {
    await admin.exec(`create database ${name}`);
  } catch (error) {
    await admin.close();
    throw new TenonError(
      'TENON_MIGRATE_SHADOW_FAILED',
      `Could not create the shadow database ${name}: ${(error as Error).message}`,
      {
        cause: error,
        hint: 'trace creates a temporary database on the server (it needs the CREATEDB privilege) and drops it at the end. Without it, trace on PGlite: omit --database-url, or pass --shadow pglite.',
      },
    );
  }
  let db: Database | undefined;
  let notCopied: string | undefined;
  let applied: readonly MigrationPlan[] = [];
  const dispose = async () => {
    await db?.close();
    db = undefined;
    await admin.exec(`drop database if exists ${name} with (force)`).catch(() => undefined);
    await admin.close();
  };
  try {
    db = await connect({
      databaseUrl: adminUrl(parsed.url, name),
      maxConnections: 3,
      applicationName: 'tenon migrate trace',
    });
    notCopied = await copyLiveSchema(db, parsed.url, { privileges: true, pgDump });
    if (notCopied !== undefined) {
      // A failed load may have left half a schema: start the replay from an empty database.
      await db.close();
      await admin.exec(`drop database if exists ${name} with (force)`);
      await admin.exec(`create database ${name}`);
      db = await connect({
        databaseUrl: adminUrl(parsed.url, name),
        maxConnections: 3,
        applicationName: 'tenon migrate trace',
      });
      applied = await appliedPlans();
      await replayPlans(db, applied, notCopied);
    }
  } catch (error) {
    await dispose();
    throw error;
  }
  const copied = notCopied === undefined;
  return {
    db,
    kind: 'postgres',
    source: copied ? 'live-schema' : applied.length > 0 ? 'replayed' : 'empty',
    description: `temporary database ${name} on ${parsed.host}:${parsed.port}${copied ? ', a copy of the live schema' : replayedBecause(notCopied)}`,
    replayed: copied ? 0 : applied.length,
    dispose,
  };
}

async function pgliteShadow(
  live: Database | undefined,
  databaseUrl: string | undefined,
  appliedPlans: AppliedPlans,
  pgDump: string | undefined,
): Promise<Shadow> {
  const { PgliteDatabase } = await import('../../core/db/pglite-database.js');
  const instance =
    live?.kind === 'pglite'
      ? (live as { instance?: { dumpDataDir(c?: 'none'): Promise<Blob> } }).instance
      : undefined;
  if (instance) {
    // The live database is PGlite: copy it whole (schema and data), so sizes and timings are real.
    const dump = await instance.dumpDataDir('none');
    const db = await PgliteDatabase.open({
      dataDir: undefined,
      displayUrl: 'pglite://shadow',
      loadDataDir: dump,
    });
    return {
      db,
      kind: 'pglite',
      source: 'pglite-copy',
      description: `in-memory copy of ${live!.displayUrl}`,
      replayed: 0,
      dispose: () => db.close(),
    };
  }
  const open = () => PgliteDatabase.open({ dataDir: undefined, displayUrl: 'pglite://shadow' });
  let db = await open();
  let notCopied: string | undefined = 'no live server';
  let applied: readonly MigrationPlan[] = [];
  try {
    if (live?.kind === 'postgres' && databaseUrl) {
      // PGlite has none of the server's roles: the copy leaves GRANTs out.
      notCopied = await copyLiveSchema(db, databaseUrl, { privileges: false, pgDump });
      if (notCopied !== undefined) {
        await db.close();
        db = await open();
      }
    }
    if (notCopied !== undefined) {
      applied = await appliedPlans();
      await replayPlans(db, applied, live ? notCopied : undefined);
    }
  } catch (error) {
    await db.close();
    throw error;
  }
  const copied = notCopied === undefined;
  const shadowDb = db;
  return {
    db: shadowDb,
    kind: 'pglite',
    source: copied ? 'live-schema' : applied.length > 0 ? 'replayed' : 'empty',
    description: copied
      ? `in-memory PGlite with the schema copied from ${live!.displayUrl}`
      : applied.length > 0
        ? `in-memory PGlite with ${applied.length} applied migrations replayed${live ? ` (${notCopied})` : ''}`
        : 'empty in-memory PGlite',
    replayed: copied ? 0 : applied.length,
    dispose: () => shadowDb.close(),
  };
}

/** Options of {@link openShadow}. */
export interface ShadowOptions {
  /** The live database, when one was given (its history says what is applied). */
  live: Database | undefined;
  /** Its URL (a server shadow is created on the same server). */
  databaseUrl: string | undefined;
  /** `server`: a temporary database on the live server (default with a server); `pglite`: in memory. */
  prefer: 'server' | 'pglite' | undefined;
  /** The applied migrations, planned when a replay needs them. */
  applied: AppliedPlans;
  /** The pg_dump that copies a server's live schema (`migrate.pgDump`); default: `TENON_PG_DUMP`, else the PATH's. */
  pgDump?: string | undefined;
}

/**
 * Opens the shadow a trace runs in: with a server, a temporary database on
 * it (or, with `prefer: 'pglite'`, an in-memory PGlite) holding the live
 * schema, copied by pg_dump or, without one, rebuilt by replaying
 * `applied`; with PGlite, an in-memory copy of its data directory; with
 * nothing, an empty in-memory PGlite.
 */
export async function openShadow(options: ShadowOptions): Promise<Shadow> {
  const server = options.live?.kind === 'postgres' && options.databaseUrl;
  if (server && options.prefer !== 'pglite')
    return serverShadow(options.databaseUrl!, options.applied, options.pgDump);
  return pgliteShadow(options.live, options.databaseUrl, options.applied, options.pgDump);
}

/** True when the default embedded database exists (trace copies it; it never creates one). */
export function pgliteDirExists(databaseUrl: string | undefined, cwd: string): boolean {
  const parsed = parseDatabaseUrl(databaseUrl, cwd);
  return parsed.kind === 'pglite' && (parsed.dataDir === undefined || existsSync(parsed.dataDir));
}
