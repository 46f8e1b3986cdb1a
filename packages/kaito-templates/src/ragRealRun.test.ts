import { validateRagEngine } from '@kaito-backstage/plugin-kaito-common';
import { testing } from '@kaito-backstage/kaito-simulator';
import { portalGet, runTask } from './__testUtils__/portal';
import {
  directWorkspaceValues,
  expectCompleted,
  useRealPortal,
} from './__testUtils__/suites';
import { hasShared, ragEngineSchemaErrors } from './__testUtils__/templates';
import { mockCredentials } from '@backstage/backend-test-utils';

jest.setTimeout(240_000);

/**
 * kaito-rag as the portal runs it (task API, real catalog with the KAITO
 * provider, KAITO backend) on the simulator, over a workspace deployed by
 * the kaito-workspace template in the same portal.
 */
describe('kaito-rag: a real run on the simulator', () => {
  const t = useRealPortal({ log: () => {} }, ['kaito-workspace', 'kaito-rag']);

  it('deploys a RAGEngine over the workspace entity and registers a rag-engine Resource that depends on it', async () => {
    expectCompleted(
      await runTask(
        t.portal.baseUrl,
        'kaito-workspace',
        directWorkspaceValues('phi-rag'),
      ),
    );

    const run = await runTask(t.portal.baseUrl, 'kaito-rag', {
      workspace: 'resource:default/phi-rag',
      name: 'team-docs',
      embedding: 'local',
      embeddingModelID: 'BAAI/bge-small-en-v1.5',
      guardrails: false,
      owner: 'user:default/mock',
      waitForReady: true,
      timeoutMinutes: 2,
    });
    expectCompleted(run);
    expect(run.log.join('\n')).toMatch(/RAGEngine team-a\/team-docs: Ready: /);
    expect(
      run.output.links.map((l: { entityRef: string }) => l.entityRef),
    ).toEqual(['resource:default/team-docs', 'resource:default/phi-rag']);

    const rag = await testing.kubeRequest(
      t.sim,
      'GET',
      '/apis/kaito.sh/v1beta1/namespaces/team-a/ragengines/team-docs',
    );
    expect(rag.status).toBe(200);
    const manifest = {
      apiVersion: rag.body.apiVersion,
      kind: rag.body.kind,
      metadata: { name: rag.body.metadata.name },
      spec: rag.body.spec,
    };
    expect(hasShared ? ragEngineSchemaErrors(manifest) : []).toEqual([]);
    expect(validateRagEngine(manifest)).toEqual([]);
    expect(rag.body.spec.inferenceService.url).toBe(
      'http://phi-rag.team-a.svc.cluster.local/v1/chat/completions',
    );

    const entity = await portalGet(
      t.portal.baseUrl,
      '/api/catalog/entities/by-name/resource/default/team-docs',
    );
    expect(entity.status).toBe(200);
    expect(entity.body.spec).toMatchObject({
      type: 'rag-engine',
      owner: 'user:default/mock',
      dependsOn: ['resource:default/phi-rag'],
    });
    expect(entity.body.metadata.annotations).toMatchObject({
      'kaito.sh/ragengine': 'team-a/team-docs',
      'kaito.sh/cluster': 'sim',
      'kaito.sh/rag-index': 'team-docs',
    });
    expect(entity.body.relations).toEqual(
      expect.arrayContaining([
        { type: 'dependsOn', targetRef: 'resource:default/phi-rag' },
      ]),
    );
  });

  it('the registered entity works at /api/kaito: Ready, a document added, a chat answered with it as the source', async () => {
    const entity = `${t.portal.baseUrl}/api/kaito/entity/resource/default/team-docs`;
    const post = async (path: string, body: unknown) => {
      const res = await fetch(`${entity}/${path}`, {
        method: 'POST',
        headers: {
          authorization: mockCredentials.user.header(),
          'content-type': 'application/json',
        },
        body: JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as any };
    };
    const snapshot = await portalGet(
      t.portal.baseUrl,
      '/api/kaito/entity/resource/default/team-docs/ragengine',
    );
    expect(snapshot.status).toBe(200);
    expect(snapshot.body.readiness.phase).toBe('Ready');

    const added = await post('rag/documents', {
      documents: [
        {
          title: 'on-call.md',
          text: 'The on-call rotation hands over every Tuesday at 10:00 in the platform channel.',
        },
      ],
    });
    expect(added.status).toBe(201);
    expect(added.body.index).toBe('team-docs');

    const answer = await post('chat/completions', {
      messages: [
        { role: 'user', content: 'When does the on-call rotation hand over?' },
      ],
    });
    expect(answer.status).toBe(200);
    expect(answer.body.source_nodes[0].text).toContain(
      'every Tuesday at 10:00',
    );
  });

  it('a workspace entity that is not a KAITO workspace fails the task naming the field; nothing applied', async () => {
    const run = await runTask(t.portal.baseUrl, 'kaito-rag', {
      workspace: 'template:default/kaito-rag',
      name: 'wrong',
      embedding: 'local',
      owner: 'user:default/mock',
    });
    expect(run.status).toBe('failed');
    expect(run.log.join('\n')).toMatch(
      /workspace: template:default\/kaito-rag has no kaito\.sh\/workspace annotation/,
    );
    const list = await testing.kubeRequest(
      t.sim,
      'GET',
      '/apis/kaito.sh/v1beta1/namespaces/team-a/ragengines/wrong',
    );
    expect(list.status).toBe(404);
  });
});
