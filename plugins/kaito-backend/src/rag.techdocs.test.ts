import { actionsRegistryServiceFactory } from '@backstage/backend-defaults/alpha';
import { Entity } from '@backstage/catalog-model';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import techdocsPlugin from '@backstage/plugin-techdocs-backend';
import {
  RunningSimulator,
  startSimulator,
} from '@kaito-backstage/kaito-simulator';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  entityPath,
  KaitoTestBackend,
  startKaitoTestBackend,
} from './__testUtils__/backend';
import { component, workspaceManifest } from './__testUtils__/entities';
import { ragEntity } from './__testUtils__/rag';
import { clusterConfig, waitFor } from './__testUtils__/simulator';

const VIEWER = 'user:default/viewer';

const ragEngine = {
  apiVersion: 'kaito.sh/v1beta1',
  kind: 'RAGEngine',
  metadata: { name: 'handbook', namespace: 'default' },
  spec: {
    compute: { labelSelector: { matchLabels: { apps: 'handbook' } } },
    embedding: { local: { modelID: 'BAAI/bge-small-en-v1.5' } },
    inferenceService: {
      url: 'http://phi/v1/chat/completions',
      contextWindowSize: 4096,
    },
  },
};

function inSystem(name: string, system: string, docs: boolean): Entity {
  const e = component(
    name,
    docs ? { 'backstage.io/techdocs-ref': 'dir:.' } : {},
  );
  return { ...e, spec: { ...e.spec, system } };
}

/** Writes a published TechDocs site's search index, as mkdocs generates it. */
function publish(
  dir: string,
  triplet: string,
  docs: Array<{ location: string; title: string; text: string }>,
) {
  const target = path.join(dir, triplet, 'search');
  fs.mkdirSync(target, { recursive: true });
  fs.writeFileSync(
    path.join(target, 'search_index.json'),
    JSON.stringify({ config: { lang: ['en'] }, docs }),
  );
  fs.writeFileSync(path.join(dir, triplet, 'index.html'), '<html></html>');
}

/**
 * `rag/techdocs` with the real TechDocs backend (local publisher, external
 * builder) serving generated sites, the real catalog, and the simulated
 * RAGEngine.
 */
describe('RAG: indexing a system TechDocs', () => {
  jest.setTimeout(90_000);
  let sim: RunningSimulator;
  let kb: KaitoTestBackend;
  let dir: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kaito-techdocs-'));
    publish(dir, 'default/component/payments-api', [
      { location: '', title: 'Payments API', text: '' },
      {
        location: '#overview',
        title: 'Overview',
        text: '<p>The payments API settles card transactions nightly at 02:00 UTC.</p>',
      },
      {
        location: 'runbooks/',
        title: 'Runbooks',
        text: 'Refunds over 500 EUR need approval from the finance on-call.',
      },
      { location: 'empty/', title: 'Empty', text: '' },
    ]);
    publish(dir, 'default/system/payments', [
      {
        location: '',
        title: 'Payments system',
        text: 'The payments system owns settlement &amp; refunds.',
      },
    ]);
    publish(dir, 'default/component/search-api', [
      { location: '', title: 'Search', text: 'Not part of payments.' },
    ]);
    sim = await startSimulator({
      log: () => {},
      seed: [workspaceManifest('phi'), ragEngine],
    });
    const system: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'System',
      metadata: {
        name: 'payments',
        namespace: 'default',
        annotations: { 'backstage.io/techdocs-ref': 'dir:.' },
      },
      spec: { owner: 'group:default/team-a' },
    };
    const rag = ragEntity('handbook');
    kb = await startKaitoTestBackend({
      config: {
        ...clusterConfig([{ name: 'sim', url: sim.url, token: sim.token }], {
          rag: { pollIntervalMs: 200 },
        }),
        backend: { actions: { pluginSources: ['kaito'] } },
        techdocs: {
          builder: 'external',
          publisher: { type: 'local', local: { publishDirectory: dir } },
        },
      },
      entities: [
        system,
        { ...rag, spec: { ...rag.spec, system: 'payments' } },
        inSystem('payments-api', 'payments', true),
        inSystem('ledger', 'system:default/payments', true),
        inSystem('search-api', 'search', true),
        inSystem('no-docs', 'payments', false),
      ],
      extraFeatures: [techdocsPlugin, actionsRegistryServiceFactory],
      extraPluginIds: ['techdocs'],
      policy: {
        // viewer may read and chat, not manage RAG documents.
        async handle(req, user) {
          return req.permission.name === 'kaito.ragengine.manage' &&
            user?.info.userEntityRef === VIEWER
            ? { result: AuthorizeResult.DENY }
            : { result: AuthorizeResult.ALLOW };
        },
      },
    });
    await waitFor(
      async () =>
        (
          await kb.get(`${entityPath('handbook')}/ragengine`)
        ).body.readiness?.phase === 'Ready',
      'RAGEngine handbook Ready',
      60_000,
    );
  }, 90_000);

  it('needs kaito.ragengine.manage, through the route and the action', async () => {
    const route = await kb.post(
      `${entityPath('handbook')}/rag/techdocs`,
      {},
      VIEWER,
    );
    expect(route.status).toBe(403);
    expect(route.body.error.message).toContain('kaito.ragengine.manage');
    const action = await kb.post(
      '/api/kaito/.backstage/actions/v1/actions/kaito:index-techdocs/invoke',
      { entityRef: 'handbook' },
      VIEWER,
    );
    expect(action.status).toBe(403);
  });

  afterAll(async () => {
    await kb?.stop();
    await sim?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('indexes every page of the system TechDocs with its url, and chats with it', async () => {
    const res = await kb.post(`${entityPath('handbook')}/rag/techdocs`, {});
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      entityRef: 'component:default/handbook',
      index: 'handbook',
      pages: 3,
      added: 3,
    });
    expect(res.body.sources.sort()).toEqual([
      'component:default/ledger',
      'component:default/payments-api',
      'system:default/payments',
    ]);
    expect(res.body.skipped).toEqual(
      expect.arrayContaining([
        {
          page: 'component:default/payments-api/empty/',
          reason: 'the page has no text',
        },
        {
          page: 'component:default/ledger',
          reason: expect.stringContaining('search_index.json not found'),
        },
      ]),
    );
    const listed = await kb.get(
      `${entityPath('handbook')}/rag/documents?limit=50`,
    );
    const runbook = listed.body.documents.find(
      (d: any) =>
        d.metadata.url === '/docs/default/component/payments-api/runbooks/',
    );
    expect(runbook.metadata).toMatchObject({
      origin: 'techdocs',
      title: 'payments-api: Runbooks',
    });
    const system = listed.body.documents.find(
      (d: any) => d.metadata.url === '/docs/default/system/payments/',
    );
    expect(system.text).toContain('settlement & refunds');

    const answer = await kb.post(`${entityPath('handbook')}/chat/completions`, {
      messages: [
        {
          role: 'user',
          content: 'Refunds over 500 EUR need approval from whom?',
        },
      ],
    });
    expect(answer.status).toBe(200);
    expect(answer.body.source_nodes.map((n: any) => n.metadata.url)).toContain(
      '/docs/default/component/payments-api/runbooks/',
    );
    expect(answer.body.choices[0].message.content).toContain('finance on-call');
  });

  it('adds nothing on a second run, here through the kaito:index-techdocs action', async () => {
    const res = await kb.post(
      '/api/kaito/.backstage/actions/v1/actions/kaito:index-techdocs/invoke',
      { entityRef: 'handbook' },
    );
    expect(res.status).toBe(200);
    expect(res.body.output).toMatchObject({
      entityRef: 'component:default/handbook',
      index: 'handbook',
      pages: 3,
    });
    const listed = await kb.get(
      `${entityPath('handbook')}/rag/documents?limit=50`,
    );
    expect(listed.body.total).toBe(3);
  });
});
