import * as k8s from '@kubernetes/client-node';
import { startSimulator, RunningSimulator } from './simulator';
import { condition, waitFor } from './__testUtils__/http';

/**
 * Contract tests: the real @kubernetes/client-node (Backstage's pinned 1.4.0)
 * against the simulator, the way the plugins will use it.
 */

function manifest(name: string, namespace: string) {
  return {
    apiVersion: 'kaito.sh/v1beta1',
    kind: 'Workspace',
    metadata: {
      name,
      namespace,
      labels: { 'backstage.io/kubernetes-id': name },
    },
    resource: {
      instanceType: 'Standard_NC24ads_A100_v4',
      labelSelector: { matchLabels: { apps: name } },
    },
    inference: { preset: { name: 'phi-4-mini-instruct' } },
  };
}

describe('contract: @kubernetes/client-node against the simulator', () => {
  let sim: RunningSimulator;
  let kc: k8s.KubeConfig;
  beforeAll(async () => {
    sim = await startSimulator({
      inference: { tokensPerSecond: 400 },
      log: () => {},
    });
    kc = new k8s.KubeConfig();
    kc.loadFromString(sim.kubeconfig);
  });
  afterAll(() => sim.stop());

  it('server-side applies a Workspace that then progresses to Ready', async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: 'contract' } } });
    const objects = k8s.KubernetesObjectApi.makeApiClient(kc);
    const applied = await objects.patch(
      manifest('phi', 'contract') as k8s.KubernetesObject,
      undefined,
      undefined,
      'backstage-kaito',
      true,
      k8s.PatchStrategy.ServerSideApply,
    );
    expect(applied.metadata?.uid).toBeDefined();

    const custom = kc.makeApiClient(k8s.CustomObjectsApi);
    const ready = await waitFor(async () => {
      const ws: any = await custom.getNamespacedCustomObject({
        group: 'kaito.sh',
        version: 'v1beta1',
        namespace: 'contract',
        plural: 'workspaces',
        name: 'phi',
      });
      return ws.status?.state === 'Ready' ? ws : undefined;
    }, 'workspace Ready');
    expect(condition(ready, 'WorkspaceSucceeded')).toMatchObject({
      status: 'True',
      reason: 'workspaceSucceeded',
    });
    expect(ready.status.targetNodeCount).toBe(1);

    const pods = await core.listNamespacedPod({
      namespace: 'contract',
      labelSelector: 'kaito.sh/workspace=phi',
    });
    expect(pods.items.map(p => p.metadata?.name)).toEqual(['phi-0']);
    expect(pods.items[0].status?.containerStatuses?.[0].ready).toBe(true);
    const apps = kc.makeApiClient(k8s.AppsV1Api);
    const sts = await apps.readNamespacedStatefulSet({
      name: 'phi',
      namespace: 'contract',
    });
    expect(sts.status?.readyReplicas).toBe(1);

    // An existing object: apply again is an update, not a create.
    const again = await objects.patch(
      manifest('phi', 'contract') as k8s.KubernetesObject,
      undefined,
      undefined,
      'backstage-kaito',
      true,
      k8s.PatchStrategy.ServerSideApply,
    );
    expect(again.metadata?.uid).toBe(applied.metadata?.uid);
  });

  it('surfaces API errors as ApiException with the Status body', async () => {
    const custom = kc.makeApiClient(k8s.CustomObjectsApi);
    const err: any = await custom
      .getNamespacedCustomObject({
        group: 'kaito.sh',
        version: 'v1beta1',
        namespace: 'contract',
        plural: 'workspaces',
        name: 'missing',
      })
      .catch(e => e);
    expect(err).toBeInstanceOf(k8s.ApiException);
    expect(err.code).toBe(404);
    expect(JSON.parse(err.body)).toMatchObject({
      reason: 'NotFound',
      message: 'workspaces.kaito.sh "missing" not found',
    });
  });

  it('resumes a watch from its last resourceVersion after a forced disconnect', async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: 'watched' } } });
    const seen: string[] = [];
    let lastRv = '';
    let ended = 0;
    const watch = new k8s.Watch(kc);
    const start = (rv?: string) =>
      watch.watch(
        '/api/v1/namespaces/watched/configmaps',
        { resourceVersion: rv, allowWatchBookmarks: true },
        (type, obj) => {
          lastRv = obj.metadata.resourceVersion;
          if (type !== 'BOOKMARK') seen.push(`${type}:${obj.metadata.name}`);
        },
        () => {
          ended++;
        },
      );
    const first = await start();
    await core.createNamespacedConfigMap({
      namespace: 'watched',
      body: { metadata: { name: 'one' } },
    });
    await waitFor(() => seen.includes('ADDED:one'), 'first event');

    expect(sim.disconnectWatches()).toBeGreaterThanOrEqual(1);
    await waitFor(() => ended === 1, 'watch ended by the server');
    // Written while nobody watched: a resumed watch must still deliver it.
    await core.createNamespacedConfigMap({
      namespace: 'watched',
      body: { metadata: { name: 'two' } },
    });
    // Another resource's change in the same namespace is not this watch's to replay.
    await core.createNamespacedSecret({
      namespace: 'watched',
      body: { metadata: { name: 'not-a-configmap' }, stringData: { a: 'b' } },
    });
    await core.deleteNamespacedConfigMap({ namespace: 'watched', name: 'one' });
    const second = await start(lastRv);
    await waitFor(() => seen.includes('DELETED:one'), 'missed events replayed');
    expect(seen).toEqual(['ADDED:one', 'ADDED:two', 'DELETED:one']);
    first.abort();
    second.abort();
  });

  it('keeps an informer in sync across disconnects and relists after 410 Gone', async () => {
    const small = await startSimulator({ watchHistory: 5, log: () => {} });
    try {
      const kc2 = new k8s.KubeConfig();
      kc2.loadFromString(small.kubeconfig);
      const core = kc2.makeApiClient(k8s.CoreV1Api);
      let lists = 0;
      const informer = k8s.makeInformer(
        kc2,
        '/api/v1/namespaces/default/configmaps',
        () => {
          lists++;
          return core.listNamespacedConfigMap({
            namespace: 'default',
            labelSelector: 'app=x',
          });
        },
        'app=x',
      );
      const names = () =>
        informer
          .list()
          .map(o => o.metadata?.name)
          .sort();
      await informer.start();
      await core.createNamespacedConfigMap({
        namespace: 'default',
        body: { metadata: { name: 'a', labels: { app: 'x' } } },
      });
      await waitFor(() => names().includes('a'), 'informer sees a');

      // A plain disconnect: the informer resumes from its resourceVersion without relisting.
      small.disconnectWatches();
      await core.createNamespacedConfigMap({
        namespace: 'default',
        body: { metadata: { name: 'b', labels: { app: 'x' } } },
      });
      await waitFor(
        () => names().includes('b'),
        'informer sees b after reconnecting',
      );
      expect(lists).toBe(1);

      // Unrelated writes push the informer's version out of the history; the next resume gets 410 and relists.
      for (let i = 0; i < 8; i++) {
        await core.createNamespacedConfigMap({
          namespace: 'default',
          body: { metadata: { name: `other${i}` } },
        });
      }
      small.disconnectWatches();
      await waitFor(() => lists === 2, 'relist after 410 Gone');
      await core.createNamespacedConfigMap({
        namespace: 'default',
        body: { metadata: { name: 'c', labels: { app: 'x' } } },
      });
      await waitFor(
        () => names().includes('c'),
        'informer sees c after relisting',
      );
      expect(names()).toEqual(['a', 'b', 'c']);
      await informer.stop();
    } finally {
      await small.stop();
    }
  });

  it('answers a watch from a compacted resourceVersion with an ERROR 410 event', async () => {
    const small = await startSimulator({ watchHistory: 3, log: () => {} });
    try {
      const kc2 = new k8s.KubeConfig();
      kc2.loadFromString(small.kubeconfig);
      const core = kc2.makeApiClient(k8s.CoreV1Api);
      for (let i = 0; i < 6; i++)
        await core.createNamespacedConfigMap({
          namespace: 'default',
          body: { metadata: { name: `c${i}` } },
        });
      const events: Array<[string, any]> = [];
      let done = false;
      await new k8s.Watch(kc2).watch(
        '/api/v1/namespaces/default/configmaps',
        { resourceVersion: '1' },
        (t, o) => events.push([t, o]),
        () => {
          done = true;
        },
      );
      await waitFor(() => done, 'watch closed');
      expect(events).toHaveLength(1);
      expect(events[0][0]).toBe('ERROR');
      expect(events[0][1]).toMatchObject({
        kind: 'Status',
        code: 410,
        reason: 'Expired',
      });
      expect(events[0][1].message).toMatch(
        /^too old resource version: 1 \(\d+\)$/,
      );
    } finally {
      await small.stop();
    }
  });

  it('streams chat completions through the service proxy', async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const models = await core.connectGetNamespacedServiceProxyWithPath({
      name: 'phi:http',
      namespace: 'contract',
      path: 'v1/models',
    });
    // client-node parses the JSON body for us (typed as string).
    const parsed: any =
      typeof models === 'string' ? JSON.parse(models) : models;
    expect(parsed.data[0].id).toBe('phi-4-mini-instruct');

    const opts = await kc.applyToFetchOptions({});
    const headers = new Headers(opts.headers as Record<string, string>);
    headers.set('content-type', 'application/json');
    const started = Date.now();
    const res = await fetch(
      `${sim.url}/api/v1/namespaces/contract/services/phi:http/proxy/v1/chat/completions`,
      {
        method: 'POST',
        headers,
        body: JSON.stringify({
          model: 'phi-4-mini-instruct',
          stream: true,
          stream_options: { include_usage: true },
          messages: [{ role: 'user', content: 'Hello there' }],
        }),
      },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = res.body!.getReader();
    const arrivals: number[] = [];
    let text = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      arrivals.push(Date.now() - started);
      text += Buffer.from(value).toString('utf8');
    }
    // Streamed, not buffered: the body arrived in many pieces spread over time.
    expect(arrivals.length).toBeGreaterThan(5);
    expect(arrivals[arrivals.length - 1] - arrivals[0]).toBeGreaterThan(50);
    const frames = text
      .split('\n\n')
      .filter(Boolean)
      .map(f => f.replace(/^data: /, ''));
    expect(frames[frames.length - 1]).toBe('[DONE]');
    const chunks = frames.slice(0, -1).map(f => JSON.parse(f));
    expect(chunks[0].choices[0].delta.role).toBe('assistant');
    const content = chunks
      .map(c => c.choices[0]?.delta?.content ?? '')
      .join('');
    expect(content).toContain('simulated');
    const usage = chunks[chunks.length - 1].usage;
    expect(usage.completion_tokens).toBe(
      chunks.filter(c => c.choices[0]?.delta?.content).length,
    );
  });
});
