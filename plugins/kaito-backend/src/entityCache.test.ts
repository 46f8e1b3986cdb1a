import { Entity } from '@backstage/catalog-model';
import {
  startSimulator,
  RunningSimulator,
} from '@kaito-backstage/kaito-simulator';
import { workspaceEntity, workspaceManifest } from './__testUtils__/entities';
import {
  entityPath,
  KaitoTestBackend,
  startKaitoTestBackend,
} from './__testUtils__/backend';
import { clusterConfig, waitFor } from './__testUtils__/simulator';

describe('entity resolution cache (kaito.cache.entityTtlMs)', () => {
  let sim: RunningSimulator;
  let kb: KaitoTestBackend;
  const feed: { connection?: (e: Entity[]) => Promise<void> } = {};

  beforeAll(async () => {
    sim = await startSimulator({
      log: () => {},
      seed: [workspaceManifest('phi')],
    });
    kb = await startKaitoTestBackend({
      config: clusterConfig([{ name: 'sim', url: sim.url, token: sim.token }], {
        cache: { entityTtlMs: 300 },
      }),
      entities: [workspaceEntity('app', 'default/phi')],
      feed,
    });
  }, 30_000);

  afterAll(async () => {
    await kb?.stop();
    await sim?.stop();
  });

  it('follows an annotation change in the catalog within the TTL, and never serves a removed entity for longer', async () => {
    const snapshot = () => kb.get(`${entityPath('app')}/workspace`);
    await waitFor(
      async () => (await snapshot()).body.readiness?.phase === 'Ready',
      'phi Ready',
    );

    // Re-point the entity at a Workspace that does not exist.
    await feed.connection!([workspaceEntity('app', 'default/elsewhere')]);
    const moved = await waitFor(
      async () => {
        const res = await snapshot();
        return res.body.name === 'elsewhere' && res.body;
      },
      'the new annotation',
      10_000,
    );
    expect(moved.status).toBe('notFound');

    // Remove the entity: 404 once the catalog and the TTL have caught up.
    await feed.connection!([]);
    await waitFor(
      async () => (await snapshot()).status === 404,
      'entity gone',
      10_000,
    );
    const gone = await snapshot();
    expect(gone.body.error.message).toBe(
      'Entity component:default/app was not found in the catalog; check the kind, namespace and name in the path',
    );
  });
});
