import * as k8s from '@kubernetes/client-node';
import { kube, waitFor } from '../__testUtils__/http';
import {
  getRag,
  RAG_GVR,
  ragCondition,
  ragEngine,
  waitForRagCondition,
  useRagController,
} from '../__testUtils__/ragengine';

/** The RAGEngine lifecycle through the real @kubernetes/client-node, with KAITO's conditions in KAITO's order. */
describe('simulated RAGEngine controller', () => {
  const t = useRagController({ 'default/rag-quota': 'quotaExceeded' });
  const { create } = t;

  it('provisions a node, then the Service and Deployment, and reports Ready in the real order', async () => {
    await create(
      ragEngine('rag', 'default', {
        workspace: 'phi',
        instanceType: 'Standard_NC24ads_A100_v4',
      }),
    );
    const ready = await waitForRagCondition(
      t.kc,
      'default',
      'rag',
      'RAGEngineSucceeded',
      'True',
    );
    expect(
      ready.status.conditions.map((c: any) => [
        c.type,
        c.status,
        c.reason,
        c.message,
      ]),
    ).toEqual([
      [
        'NodeClaimReady',
        'True',
        'installNodePluginsSuccess',
        'nodeClaim plugins have been installed successfully',
      ],
      [
        'ResourceReady',
        'True',
        'ragengineResourceStatusSuccess',
        'ragengine resource is ready',
      ],
      [
        'ServiceReady',
        'True',
        'RAGEngineServiceSuccess',
        'Inference has been deployed successfully',
      ],
      [
        'RAGEngineSucceeded',
        'True',
        'ragengineSucceeded',
        'ragengine succeeds',
      ],
    ]);
    expect(ready.status.workerNodes).toHaveLength(1);
    expect(ready.metadata.finalizers).toContain('ragengine.finalizer.kaito.sh');

    const core = t.kc.makeApiClient(k8s.CoreV1Api);
    const apps = t.kc.makeApiClient(k8s.AppsV1Api);
    const svc = await core.readNamespacedService({
      name: 'rag',
      namespace: 'default',
    });
    expect(svc.spec?.ports).toEqual([
      { name: 'http', protocol: 'TCP', port: 80, targetPort: 5000 },
    ]);
    expect(svc.spec?.selector).toEqual({ 'kaito.sh/ragengine': 'rag' });
    const dep = await apps.readNamespacedDeployment({
      name: 'rag',
      namespace: 'default',
    });
    expect(dep.metadata?.labels).toEqual({ 'kaito.sh/ragengine': 'rag' });
    expect(dep.status?.readyReplicas).toBe(1);
    expect(dep.spec?.template.spec?.containers[0].env).toContainEqual({
      name: 'LLM_INFERENCE_URL',
      value: 'http://phi/v1/chat/completions',
    });
    const pods = await core.listNamespacedPod({
      namespace: 'default',
      labelSelector: 'kaito.sh/ragengine=rag',
    });
    expect(pods.items.map(p => p.status?.phase)).toEqual(['Running']);
    const log = await kube(
      t.sim,
      'GET',
      `/api/v1/namespaces/default/pods/${pods.items[0].metadata?.name}/log`,
    );
    expect(log.text).toContain('Uvicorn running on http://0.0.0.0:5000');
    const claims: any = await t.custom.listClusterCustomObject({
      group: 'karpenter.sh',
      version: 'v1',
      plural: 'nodeclaims',
      labelSelector: 'kaito.sh/ragengine=rag',
    });
    expect(claims.items).toHaveLength(1);

    const health = await kube(
      t.sim,
      'GET',
      '/api/v1/namespaces/default/services/rag:http/proxy/health',
    );
    expect(health.json).toEqual({ status: 'Healthy', detail: null });
    expect(
      (
        await kube(
          t.sim,
          'GET',
          '/api/v1/namespaces/default/services/rag:80/proxy/indexes',
        )
      ).json,
    ).toEqual([]);
  });

  it('writes each condition change as its own status update, in the controller order, seen through a watch', async () => {
    const seen: string[] = [];
    const last = new Map<string, string>();
    const watch = await new k8s.Watch(t.kc).watch(
      '/apis/kaito.sh/v1beta1/namespaces/default/ragengines',
      { fieldSelector: 'metadata.name=rag-watched' },
      (_type, obj) => {
        for (const c of obj.status?.conditions ?? []) {
          const v = `${c.type}=${c.status} ${c.reason}`;
          if (last.get(c.type) !== v) seen.push(v);
          last.set(c.type, v);
        }
      },
      () => {},
    );
    try {
      await create(
        ragEngine('rag-watched', 'default', {
          workspace: 'phi',
          instanceType: 'Standard_NC24ads_A100_v4',
        }),
      );
      await waitFor(
        () =>
          last.get('RAGEngineSucceeded')?.startsWith('RAGEngineSucceeded=True'),
        'Ready seen',
      );
      expect(seen).toEqual([
        'NodeClaimReady=Unknown CreateNodeClaimPending',
        'NodeClaimReady=True installNodePluginsSuccess',
        'ResourceReady=True ragengineResourceStatusSuccess',
        'ServiceReady=True RAGEngineServiceSuccess',
        'RAGEngineSucceeded=True ragengineSucceeded',
      ]);
    } finally {
      watch.abort();
    }
  });

  it('is Ready at once without compute.instanceType, and answers chat 503 in retrieve-only mode', async () => {
    await create(ragEngine('rag-retrieve', 'default'));
    const ready = await waitForRagCondition(
      t.kc,
      'default',
      'rag-retrieve',
      'RAGEngineSucceeded',
      'True',
    );
    expect(ready.status.conditions.map((c: any) => c.type)).toEqual([
      'ResourceReady',
      'ServiceReady',
      'RAGEngineSucceeded',
    ]);
    const chat = await kube(
      t.sim,
      'POST',
      '/api/v1/namespaces/default/services/rag-retrieve:http/proxy/v1/chat/completions',
      {
        messages: [{ role: 'user', content: 'hi' }],
      },
    );
    expect(chat.status).toBe(503);
    expect(chat.json.detail).toMatch(/^InferenceService not configured/);
  });

  it('rolls a spec change into the Deployment env and the service: retrieve-only becomes chat-capable', async () => {
    await t.custom.patchNamespacedCustomObject({
      ...RAG_GVR,
      namespace: 'default',
      name: 'rag-retrieve',
      body: [
        {
          op: 'add',
          path: '/spec/inferenceService',
          value: {
            url: 'http://phi.default.svc/v1/chat/completions',
            contextWindowSize: 4096,
          },
        },
      ],
    });
    const chatUrl =
      '/api/v1/namespaces/default/services/rag-retrieve:http/proxy/v1/chat/completions';
    const answer = await waitFor(async () => {
      const r = await kube(t.sim, 'POST', chatUrl, {
        messages: [{ role: 'user', content: 'hi' }],
      });
      return r.status === 200 ? r : undefined;
    }, 'chat after the spec change');
    expect(answer.json.choices[0].message.content).toMatch(
      /simulated response/,
    );
    const rag = await getRag(t.kc, 'default', 'rag-retrieve');
    expect(rag.metadata.annotations['ragengine.kaito.io/revision']).toBe('2');
    const dep = await t.kc
      .makeApiClient(k8s.AppsV1Api)
      .readNamespacedDeployment({ name: 'rag-retrieve', namespace: 'default' });
    expect(dep.metadata?.annotations?.['ragengine.kaito.io/revision']).toBe(
      '2',
    );
    expect(dep.spec?.template.spec?.containers[0].env).toContainEqual({
      name: 'LLM_INFERENCE_URL',
      value: 'http://phi.default.svc/v1/chat/completions',
    });
  });

  it('serves v1alpha1 too and is found by its short name in discovery', async () => {
    await create(
      ragEngine('rag-alpha', 'default', { apiVersion: 'kaito.sh/v1alpha1' }),
    );
    const alpha = await getRag(t.kc, 'default', 'rag-alpha', 'v1alpha1');
    expect(alpha.apiVersion).toBe('kaito.sh/v1alpha1');
    const doc = await kube(t.sim, 'GET', '/apis/kaito.sh/v1beta1');
    const r = doc.json.resources.find((x: any) => x.name === 'ragengines');
    expect(r).toMatchObject({
      kind: 'RAGEngine',
      namespaced: true,
      shortNames: ['rag'],
    });
    expect(doc.json.resources.map((x: any) => x.name)).toContain(
      'ragengines/status',
    );
  });

  it('marks RAGEngineDeleting, removes its NodeClaim, node and RAG service, and owned objects go', async () => {
    await t.custom.patchNamespacedCustomObject({
      ...RAG_GVR,
      namespace: 'default',
      name: 'rag',
      body: [{ op: 'add', path: '/metadata/finalizers/-', value: 'test/hold' }],
    });
    await t.custom.deleteNamespacedCustomObject({
      ...RAG_GVR,
      namespace: 'default',
      name: 'rag',
    });
    const deleting = await waitForRagCondition(
      t.kc,
      'default',
      'rag',
      'RAGEngineDeleting',
      'True',
      'ragengineDeleted',
    );
    expect(ragCondition(deleting, 'RAGEngineDeleting').message).toBe(
      'ragengine is being deleted',
    );
    expect(deleting.metadata.finalizers).toEqual(['test/hold']);
    const claims: any = await t.custom.listClusterCustomObject({
      group: 'karpenter.sh',
      version: 'v1',
      plural: 'nodeclaims',
      labelSelector: 'kaito.sh/ragengine=rag',
    });
    expect(claims.items).toEqual([]);
    expect(
      (
        await kube(
          t.sim,
          'GET',
          '/api/v1/namespaces/default/services/rag:http/proxy/health',
        )
      ).status,
    ).toBe(503);
    await t.custom.patchNamespacedCustomObject({
      ...RAG_GVR,
      namespace: 'default',
      name: 'rag',
      body: [{ op: 'remove', path: '/metadata/finalizers/0' }],
    });
    await waitFor(
      async () =>
        (
          await kube(
            t.sim,
            'GET',
            '/apis/apps/v1/namespaces/default/deployments/rag',
          )
        ).status === 404,
      'deployment gone',
    );
    expect(
      (await kube(t.sim, 'GET', '/api/v1/namespaces/default/services/rag'))
        .status,
    ).toBe(404);
  });
});
