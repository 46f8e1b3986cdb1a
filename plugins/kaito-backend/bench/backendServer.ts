import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { JsonObject } from '@backstage/config';
import { Entity } from '@backstage/catalog-model';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import proxyPlugin from '@backstage/plugin-proxy-backend';
import kaitoPlugin from '../src';
import { entitiesModule } from '../src/__testUtils__/backend';
import { exitWithParent } from './lib/children';

/**
 * Bench child: a Backstage backend with kaito-backend, the real catalog and
 * @backstage/plugin-proxy-backend. Config and entities come as JSON in env.
 * Auth is Backstage's test auth (tokens are validated, cheaply); permissions
 * allow all; logging is at warn.
 */
async function main() {
  const config = JSON.parse(process.env.BACKEND_CONFIG ?? '{}') as JsonObject;
  const entities = JSON.parse(process.env.BACKEND_ENTITIES ?? '[]') as Entity[];
  const backend = await startTestBackend({
    features: [
      kaitoPlugin,
      catalogPlugin,
      proxyPlugin,
      entitiesModule(entities),
      mockServices.rootConfig.factory({ data: config }),
      // The default auditor stays: every chat is audited, as in production.
      mockServices.rootLogger.factory({ level: 'warn' }),
    ],
  });
  const port = (backend.server as unknown as { port(): number }).port();
  // Wait until the catalog has every entity.
  for (const e of entities) {
    for (;;) {
      const res = await fetch(
        `http://127.0.0.1:${port}/api/catalog/entities/by-name/component/default/${e.metadata.name}`,
        {
          headers: { authorization: 'Bearer mock-user-token' },
        },
      );
      if (res.ok) break;
      await new Promise(r => setTimeout(r, 50));
    }
  }
  process.stdout.write(`${JSON.stringify({ port, pid: process.pid })}\n`);
  exitWithParent(() => backend.stop());
}

main().catch(e => {
  process.stderr.write(`backendServer failed: ${e}\n`);
  process.exit(1);
});
