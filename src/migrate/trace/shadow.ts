import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { connect, parseDatabaseUrl } from '../../core/db/connect.js';
import type { Database } from '../../core/db/database.js';
import { TenonError } from '../../core/errors.js';
import type { MigrationPlan } from '../plan.js';

/** The throwaway database a trace runs in. */
export interface Shadow {
  db: Database;
  /** `postgres` (a temporary database on the live server) or `pglite` (in memory). */
  kind: 'postgres' | 'pglite';
  /** How it got the live schema: copied PGlite data directory, replayed migrations, or nothing (empty). */
  source: 'pglite-copy' | 'replayed' | 'empty';
  /** Shown to the user: `temporary database tenon_shadow_1a2b3c on 127.0.0.1:5432`. */
  description: string;
  /** Migrations replayed to build it. */
  replayed: number;
  /** Drops the temporary database or closes PGlite. Safe to call twice. */
  dispose(): Promise<void>;
}

/** Runs plans on `db` as plain SQL: the schema they build is what matters, not the history. */
export async function replayPlans(db: Database, plans: readonly MigrationPlan[]): Promise<void> {
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
            hint: 'The shadow is built by running the applied migrations again; a migration that depends on objects made outside migrations (or on a baseline) cannot be replayed. Create those objects in a migration, or trace against a copy of the database.',
            details: { file: plan.file },
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
 * A temporary database on the live server, with the schema rebuilt by
 * replaying the applied migrations (`CREATE DATABASE … TEMPLATE` would need
 * the live database to have no other session, which a production database
 * always has). It needs the CREATEDB privilege; it is dropped afterwards.
 */
async function serverShadow(databaseUrl: string, applied: readonly MigrationPlan[]): Promise<Shadow> {
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
    await replayPlans(db, applied);
  } catch (error) {
    await dispose();
    throw error;
  }
  return {
    db,
    kind: 'postgres',
    source: applied.length > 0 ? 'replayed' : 'empty',
    description: `temporary database ${name} on ${parsed.host}:${parsed.port}`,
    replayed: applied.length,
    dispose,
  };
}

async function pgliteShadow(live: Database | undefined, applied: readonly MigrationPlan[]): Promise<Shadow> {
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
  const db = await PgliteDatabase.open({ dataDir: undefined, displayUrl: 'pglite://shadow' });
  try {
    await replayPlans(db, applied);
  } catch (error) {
    await db.close();
    throw error;
  }
  return {
    db,
    kind: 'pglite',
    source: applied.length > 0 ? 'replayed' : 'empty',
    description:
      applied.length > 0
        ? `in-memory PGlite with ${applied.length} applied migrations replayed`
        : 'empty in-memory PGlite',
    replayed: applied.length,
    dispose: () => db.close(),
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
  /** The applied migrations, planned, in the order they were applied. */
  applied: readonly MigrationPlan[];
}

/**
 * Opens the shadow a trace runs in: with a server, a temporary database on
 * it; with PGlite, an in-memory copy of its data directory; with nothing,
 * an empty in-memory PGlite.
 */
export async function openShadow(options: ShadowOptions): Promise<Shadow> {
  const server = options.live?.kind === 'postgres' && options.databaseUrl;
  if (server && options.prefer !== 'pglite') return serverShadow(options.databaseUrl!, options.applied);
  return pgliteShadow(options.live, options.applied);
}

/** True when the default embedded database exists (trace copies it; it never creates one). */
export function pgliteDirExists(databaseUrl: string | undefined, cwd: string): boolean {
  const parsed = parseDatabaseUrl(databaseUrl, cwd);
  return parsed.kind === 'pglite' && (parsed.dataDir === undefined || existsSync(parsed.dataDir));
}
