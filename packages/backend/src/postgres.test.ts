import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { databaseServiceFactory } from '@backstage/backend-defaults/database';
import {
  mockCredentials,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { ConfigSources, StaticConfigSource } from '@backstage/config-loader';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import path from 'node:path';
import { Client } from 'pg';
import {
  findPostgresBinDir,
  startPostgres,
  TestPostgres,
} from '@kaito-backstage/kaito-simulator';

const repoRoot = path.resolve(__dirname, '../../..');
const binDir = findPostgresBinDir();
if (!binDir) {
  // eslint-disable-next-line no-console
  console.warn(
    'skipped: no PostgreSQL server binaries (initdb, pg_ctl) on this machine',
  );
}
const describeWithPostgres = binDir ? describe : describe.skip;

// Boots the real backend plugins against a real PostgreSQL server, configured through the shipped
// app-config.yaml + app-config.production.yaml with POSTGRES_* taken from the "environment".
describeWithPostgres(
  'backend on PostgreSQL (app-config.production.yaml)',
  () => {
    let pg: TestPostgres;

    beforeAll(async () => {
      pg = await startPostgres(binDir!);
    }, 60_000);

    afterAll(async () => {
      await pg?.stop();
    });

    it('migrates the catalog and scaffolder and serves catalog reads', async () => {
      const env: Record<string, string> = {
        POSTGRES_HOST: pg.host,
        POSTGRES_PORT: String(pg.port),
        POSTGRES_USER: pg.user,
        POSTGRES_PASSWORD: pg.password,
      };
      const source = ConfigSources.merge([
        ConfigSources.defaultForTargets({
          rootDir: repoRoot,
          targets: [
            { type: 'path', target: path.join(repoRoot, 'app-config.yaml') },
            {
              type: 'path',
              target: path.join(repoRoot, 'app-config.production.yaml'),
            },
          ],
          substitutionFunc: async name => env[name],
        }),
        // The production config loads no example data; point the catalog at it for this test.
        // Permissions are out of scope here (no permission backend in this test backend).
        StaticConfigSource.create({
          data: {
            permission: { enabled: false },
            catalog: {
              locations: [
                {
                  type: 'file',
                  target: path.join(repoRoot, 'examples/kaito.yaml'),
                },
              ],
            },
          },
        }),
      ]);
      const config = await ConfigSources.toConfig(source);
      expect(config.getString('backend.database.client')).toBe('pg');

      const backend = await startTestBackend({
        features: [
          createServiceFactory({
            service: coreServices.rootConfig,
            deps: {},
            factory: () => config,
          }),
          databaseServiceFactory,
          catalogPlugin,
          scaffolderPlugin,
        ],
      });
      try {
        const base = `http://localhost:${backend.server.port()}`;
        const headers = { Authorization: mockCredentials.user.header() };
        let entity: any;
        for (let i = 0; i < 100 && !entity; i++) {
          const res = await fetch(
            `${base}/api/catalog/entities/by-name/resource/default/phi-4-mini`,
            { headers },
          );
          if (res.ok) entity = await res.json();
          else await new Promise(r => setTimeout(r, 200));
        }
        expect(entity?.metadata?.annotations?.['kaito.sh/workspace']).toBe(
          'kaito-demo/phi-4-mini',
        );

        const tables = async (database: string) => {
          const client = new Client({ ...pg, database });
          await client.connect();
          try {
            const { rows } = await client.query(
              "select table_name from information_schema.tables where table_schema = 'public'",
            );
            return rows.map(r => r.table_name as string);
          } finally {
            await client.end();
          }
        };
        expect(await tables('backstage_plugin_catalog')).toContain(
          'final_entities',
        );
        expect(await tables('backstage_plugin_scaffolder')).toEqual(
          expect.arrayContaining(['tasks', 'task_events']),
        );
      } finally {
        await backend.stop();
      }
    }, 120_000);
  },
);
