import { startPostgres } from '@kaito-backstage/kaito-simulator';
import knexFactory, { Knex } from 'knex';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * A database the test backend uses through Backstage's real
 * `databaseServiceFactory` (so each plugin gets its own database, as in
 * production), plus a direct client to the kaito plugin's database for the
 * test to inspect or age rows.
 */
export interface TestDatabase {
  label: string;
  /** `backend.database` config. */
  config: Record<string, unknown>;
  /** A client to the kaito plugin's own database; destroyed by stop(). */
  kaito(): Knex;
  stop(): Promise<void>;
}

/** SQLite files in a temporary directory (they outlive a backend restart). */
export async function sqliteDatabase(): Promise<TestDatabase> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kaito-sqlite-'));
  let client: Knex | undefined;
  return {
    label: 'SQLite',
    config: { client: 'better-sqlite3', connection: { directory: dir } },
    kaito: () =>
      (client ??= knexFactory({
        client: 'better-sqlite3',
        connection: { filename: path.join(dir, 'kaito.sqlite') },
        useNullAsDefault: true,
      })),
    async stop() {
      await client?.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The real PostgreSQL server the portal's own PostgreSQL test uses (made
 * from the machine's initdb/pg_ctl; see findPostgresBinDir).
 */
export async function postgresDatabase(binDir: string): Promise<TestDatabase> {
  const pg = await startPostgres(binDir);
  const connection = {
    host: pg.host,
    port: pg.port,
    user: pg.user,
    password: pg.password,
  };
  let client: Knex | undefined;
  return {
    label: 'PostgreSQL',
    config: { client: 'pg', connection },
    kaito: () =>
      (client ??= knexFactory({
        client: 'pg',
        connection: { ...connection, database: 'backstage_plugin_kaito' },
      })),
    async stop() {
      await client?.destroy();
      await pg.stop();
    },
  };
}
