import { startSimulator, RunningSimulator } from '../simulator';
import {
  condition,
  kube,
  waitFor,
  workspace,
  WS_PATH,
} from '../__testUtils__/http';

describe('simulated Kubernetes API server', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator({ log: () => {} });
  });
  afterAll(() => sim.stop());

  it('serves discovery for core and kaito.sh', async () => {
    const apis = await kube(sim, 'GET', '/apis');
    expect(apis.json.groups.map((g: any) => g.name)).toEqual(
      expect.arrayContaining(['apps', 'batch', 'karpenter.sh', 'kaito.sh']),
    );
    const kaito = apis.json.groups.find((g: any) => g.name === 'kaito.sh');
    expect(kaito.preferredVersion.version).toBe('v1beta1');
    const list = await kube(sim, 'GET', '/apis/kaito.sh/v1alpha1');
    expect(list.json.resources[0]).toMatchObject({
      name: 'workspaces',
      kind: 'Workspace',
      namespaced: true,
      shortNames: ['wk', 'wks'],
    });
    const core = await kube(sim, 'GET', '/api/v1');
    expect(core.json.resources.map((r: any) => r.name)).toEqual(
      expect.arrayContaining([
        'pods',
        'services',
        'services/proxy',
        'events',
        'secrets',
      ]),
    );
    expect(
      (await kube(sim, 'GET', '/version', undefined, { token: null })).json
        .gitVersion,
    ).toMatch(/^v1\./);
  });

  it("lists every object type Backstage's Kubernetes plugin fetches by default", async () => {
    const paths = [
      '/api/v1/pods',
      '/api/v1/services',
      '/api/v1/configmaps',
      '/api/v1/limitranges',
      '/api/v1/resourcequotas',
      '/apis/apps/v1/deployments',
      '/apis/apps/v1/replicasets',
      '/apis/apps/v1/statefulsets',
      '/apis/apps/v1/daemonsets',
      '/apis/autoscaling/v2/horizontalpodautoscalers',
      '/apis/batch/v1/jobs',
      '/apis/batch/v1/cronjobs',
      '/apis/networking.k8s.io/v1/ingresses',
      '/apis/kaito.sh/v1beta1/workspaces',
    ];
    for (const p of paths) {
      const res = await kube(
        sim,
        'GET',
        `${p}?labelSelector=backstage.io%2Fkubernetes-id%3Dphi`,
      );
      expect({
        p,
        status: res.status,
        items: Array.isArray(res.json.items),
      }).toEqual({ p, status: 200, items: true });
    }
  });

  it('rejects a wrong or missing token with 401 Status', async () => {
    for (const token of ['wrong-token', null]) {
      const res = await kube(sim, 'GET', '/api/v1/namespaces', undefined, {
        token,
      });
      expect(res.status).toBe(401);
      expect(res.json).toEqual({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'Unauthorized',
        reason: 'Unauthorized',
        code: 401,
      });
    }
  });

  it('creates, gets, lists, replaces and deletes with real status codes', async () => {
    const ns = await kube(sim, 'POST', '/api/v1/namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'crud' },
    });
    expect(ns.status).toBe(201);
    expect(ns.json.status.phase).toBe('Active');
    const cm = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'params', labels: { tier: 'a' } },
      data: { k: 'v' },
    };
    const created = await kube(
      sim,
      'POST',
      '/api/v1/namespaces/crud/configmaps',
      cm,
    );
    expect(created.status).toBe(201);
    expect(created.json.metadata).toMatchObject({
      name: 'params',
      namespace: 'crud',
      uid: expect.any(String),
      resourceVersion: expect.any(String),
    });
    const again = await kube(
      sim,
      'POST',
      '/api/v1/namespaces/crud/configmaps',
      cm,
    );
    expect(again.status).toBe(409);
    expect(again.json).toMatchObject({
      reason: 'AlreadyExists',
      message: 'configmaps "params" already exists',
      details: { name: 'params', kind: 'configmaps' },
      code: 409,
    });

    const got = await kube(
      sim,
      'GET',
      '/api/v1/namespaces/crud/configmaps/params',
    );
    expect(got.json).toMatchObject({
      kind: 'ConfigMap',
      apiVersion: 'v1',
      data: { k: 'v' },
    });

    const stale = await kube(
      sim,
      'PUT',
      '/api/v1/namespaces/crud/configmaps/params',
      {
        ...got.json,
        data: { k: 'w' },
        metadata: { ...got.json.metadata, resourceVersion: '1' },
      },
    );
    expect(stale.status).toBe(409);
    expect(stale.json.reason).toBe('Conflict');
    expect(stale.json.message).toContain('the object has been modified');
    const replaced = await kube(
      sim,
      'PUT',
      '/api/v1/namespaces/crud/configmaps/params',
      { ...got.json, data: { k: 'w' } },
    );
    expect(replaced.status).toBe(200);
    expect(Number(replaced.json.metadata.resourceVersion)).toBeGreaterThan(
      Number(got.json.metadata.resourceVersion),
    );

    const list = await kube(
      sim,
      'GET',
      '/api/v1/namespaces/crud/configmaps?labelSelector=tier%20in%20(a,b)',
    );
    expect(list.json.kind).toBe('ConfigMapList');
    expect(list.json.items).toHaveLength(1);
    expect(list.json.items[0].kind).toBeUndefined(); // built-in list items carry no kind, as on a real server
    expect(
      (
        await kube(
          sim,
          'GET',
          '/api/v1/namespaces/crud/configmaps?labelSelector=tier!=a',
        )
      ).json.items,
    ).toHaveLength(0);

    const del = await kube(
      sim,
      'DELETE',
      '/api/v1/namespaces/crud/configmaps/params',
    );
    expect(del.status).toBe(200);
    const gone = await kube(
      sim,
      'GET',
      '/api/v1/namespaces/crud/configmaps/params',
    );
    expect(gone.status).toBe(404);
    expect(gone.json).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'configmaps "params" not found',
      reason: 'NotFound',
      details: { name: 'params', kind: 'configmaps' },
      code: 404,
    });
  });

  it('answers 404 for a namespace that does not exist and for unknown resources', async () => {
    const res = await kube(sim, 'POST', '/api/v1/namespaces/nope/configmaps', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'x' },
    });
    expect(res.status).toBe(404);
    expect(res.json.message).toBe('namespaces "nope" not found');
    const unknown = await kube(sim, 'GET', '/apis/example.com/v1/widgets');
    expect(unknown.status).toBe(404);
    expect(unknown.json).toMatchObject({
      kind: 'Status',
      reason: 'NotFound',
      message: 'the server could not find the requested resource',
    });
  });

  it("answers a KAITO rule as KAITO's webhook refusal, relayed by the API server: 400 BadRequest, no details", async () => {
    // knative's MakeErrorStatus("validation failed: %v", FieldError) is a 400
    // BadRequest; the API server prefixes the webhook's name (ToStatusErr).
    const bad = workspace('bad-ws', 'default', {
      resource: { labelSelector: { matchLabels: { apps: 'x' } } },
      inference: { preset: { name: 'phi-4-mini-instruct' } },
    });
    for (const url of [
      WS_PATH('default'),
      `${WS_PATH('default')}?dryRun=All`,
    ]) {
      const res = await kube(sim, 'POST', url, bad);
      expect(res.status).toBe(400);
      expect(Object.keys(res.json).sort()).toEqual(
        [
          'apiVersion',
          'code',
          'kind',
          'message',
          'metadata',
          'reason',
          'status',
        ].sort(),
      );
      expect(res.json).toMatchObject({
        kind: 'Status',
        apiVersion: 'v1',
        status: 'Failure',
        reason: 'BadRequest',
        code: 400,
      });
      // One line per error, `<message>: <field>` (knative's FieldError.Error()).
      expect(res.json.message).toMatch(
        /^admission webhook "validation\.workspace\.kaito\.sh" denied the request: validation failed: .+: resource\.instanceType$/m,
      );
    }
    expect((await kube(sim, 'GET', WS_PATH('default', 'bad-ws'))).status).toBe(
      404,
    );
    // An update is judged by the same webhook (here: an immutable preset).
    await kube(sim, 'POST', WS_PATH('default'), workspace('keep-preset'));
    const current = (await kube(sim, 'GET', WS_PATH('default', 'keep-preset')))
      .json;
    current.inference.preset.name = 'qwen2.5-coder-7b-instruct';
    const changed = await kube(
      sim,
      'PUT',
      WS_PATH('default', 'keep-preset'),
      current,
    );
    expect(changed.status).toBe(400);
    expect(changed.json.reason).toBe('BadRequest');
    expect(changed.json.message).toMatch(
      /^admission webhook "validation\.workspace\.kaito\.sh" denied the request: validation failed: .*inference\.preset/m,
    );
  });

  it("answers what the Workspace CRD's schema refuses as the API server does, before any webhook: 422 Invalid", async () => {
    const res = await kube(
      sim,
      'POST',
      WS_PATH('default'),
      workspace('no-selector', 'default', {
        resource: { instanceType: 'Standard_NC24ads_A100_v4' },
        inference: {
          preset: { name: 'phi-4-mini-instruct', accessMode: 'open' },
        },
      }),
    );
    expect(res.status).toBe(422);
    expect(res.json).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'Workspace.kaito.sh "no-selector" is invalid: [resource.labelSelector: Required value, inference.preset.accessMode: Unsupported value: "open": supported values: "public", "private"]',
      reason: 'Invalid',
      details: {
        name: 'no-selector',
        group: 'kaito.sh',
        kind: 'Workspace',
        causes: [
          {
            reason: 'FieldValueRequired',
            message: 'Required value',
            field: 'resource.labelSelector',
          },
          {
            reason: 'FieldValueNotSupported',
            message:
              'Unsupported value: "open": supported values: "public", "private"',
            field: 'inference.preset.accessMode',
          },
        ],
      },
      code: 422,
    });
    const badName = await kube(
      sim,
      'POST',
      WS_PATH('default'),
      workspace('Bad_Name'),
    );
    expect(badName.status).toBe(422);
    expect(badName.json.details.causes[0]).toMatchObject({
      field: 'metadata.name',
      reason: 'FieldValueInvalid',
    });
  });

  it('serves one Workspace through both versions and deletes through the finalizer', async () => {
    const created = await kube(
      sim,
      'POST',
      WS_PATH('default'),
      workspace('versions'),
    );
    expect(created.status).toBe(201);
    const alpha = await kube(
      sim,
      'GET',
      '/apis/kaito.sh/v1alpha1/namespaces/default/workspaces/versions',
    );
    expect(alpha.json.apiVersion).toBe('kaito.sh/v1alpha1');
    const ready = await waitFor(async () => {
      const ws = (await kube(sim, 'GET', WS_PATH('default', 'versions'))).json;
      return ws.status?.state === 'Ready' ? ws : undefined;
    }, 'Ready');
    expect(ready.metadata.finalizers).toEqual(['workspace.finalizer.kaito.sh']);
    const svc = await kube(
      sim,
      'GET',
      '/api/v1/namespaces/default/services/versions',
    );
    expect(svc.json.spec.ports[0]).toMatchObject({
      name: 'http',
      port: 80,
      targetPort: 5000,
    });

    const del = await kube(sim, 'DELETE', WS_PATH('default', 'versions'));
    expect(del.status).toBe(200);
    expect(del.json.metadata.deletionTimestamp).toBeDefined();
    await waitFor(
      async () =>
        (await kube(sim, 'GET', WS_PATH('default', 'versions'))).status === 404,
      'workspace gone',
    );
    await waitFor(
      async () =>
        (
          await kube(sim, 'GET', '/api/v1/namespaces/default/services/versions')
        ).status === 404,
      'service collected',
    );
    const claims = await kube(
      sim,
      'GET',
      '/apis/karpenter.sh/v1/nodeclaims?labelSelector=kaito.sh/workspace=versions',
    );
    expect(claims.json.items).toHaveLength(0);
  });

  it('supports merge patch, JSON patch and strategic merge (built-ins only)', async () => {
    await kube(sim, 'POST', '/api/v1/namespaces/default/configmaps', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'p' },
      data: { a: '1', b: '2' },
    });
    const merged = await kube(
      sim,
      'PATCH',
      '/api/v1/namespaces/default/configmaps/p',
      { data: { a: null, c: '3' } },
      { contentType: 'application/merge-patch+json' },
    );
    expect(merged.json.data).toEqual({ b: '2', c: '3' });
    const jp = await kube(
      sim,
      'PATCH',
      '/api/v1/namespaces/default/configmaps/p',
      [
        { op: 'replace', path: '/data/b', value: '9' },
        { op: 'add', path: '/metadata/labels', value: { x: 'y' } },
      ],
      { contentType: 'application/json-patch+json' },
    );
    expect(jp.status).toBe(200);
    expect(jp.json.data.b).toBe('9');
    const failing = await kube(
      sim,
      'PATCH',
      '/api/v1/namespaces/default/configmaps/p',
      [{ op: 'test', path: '/data/b', value: 'nope' }],
      { contentType: 'application/json-patch+json' },
    );
    expect(failing.status).toBe(422);
    const smp = await kube(
      sim,
      'PATCH',
      WS_PATH('default', 'whatever'),
      {},
      { contentType: 'application/strategic-merge-patch+json' },
    );
    expect(smp.status).toBe(415);
    expect(smp.json.reason).toBe('UnsupportedMediaType');
  });

  it('server-side applies with field managers, conflicts and force', async () => {
    const path = `${WS_PATH('default', 'applied')}?fieldManager=alice`;
    const body = JSON.stringify({
      ...workspace('applied'),
      metadata: { name: 'applied', labels: { team: 'a' } },
    });
    const first = await kube(sim, 'PATCH', path, body, {
      contentType: 'application/apply-patch+yaml',
    });
    expect(first.status).toBe(201);
    expect(first.json.metadata.managedFields[0]).toMatchObject({
      manager: 'alice',
      operation: 'Apply',
      fieldsType: 'FieldsV1',
    });
    expect(
      first.json.metadata.managedFields[0].fieldsV1['f:metadata']['f:labels'][
        'f:team'
      ],
    ).toEqual({});

    const yaml = `apiVersion: kaito.sh/v1beta1\nkind: Workspace\nmetadata:\n  name: applied\n  labels:\n    team: b\n`;
    const clash = await kube(
      sim,
      'PATCH',
      `${WS_PATH('default', 'applied')}?fieldManager=bob`,
      yaml,
      { contentType: 'application/apply-patch+yaml' },
    );
    expect(clash.status).toBe(409);
    expect(clash.json.message).toBe(
      'Apply failed with 1 conflict: conflict with "alice" using kaito.sh/v1beta1: .metadata.labels.team',
    );
    const forced = await kube(
      sim,
      'PATCH',
      `${WS_PATH('default', 'applied')}?fieldManager=bob&force=true`,
      yaml,
      { contentType: 'application/apply-patch+yaml' },
    );
    expect(forced.status).toBe(200);
    expect(forced.json.metadata.labels.team).toBe('b');
    expect(forced.json.inference.preset.name).toBe('phi-4-mini-instruct');

    // Alice drops the label from her config: bob still owns it, so it stays.
    const aliceAgain = await kube(
      sim,
      'PATCH',
      path,
      JSON.stringify(workspace('applied')),
      { contentType: 'application/apply-patch+yaml' },
    );
    expect(aliceAgain.json.metadata.labels.team).toBe('b');

    const noManager = await kube(
      sim,
      'PATCH',
      WS_PATH('default', 'applied'),
      yaml,
      { contentType: 'application/apply-patch+yaml' },
    );
    expect(noManager.status).toBe(422);
    expect(noManager.json.message).toBe(
      'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
    );
  });

  it('dry-runs without persisting', async () => {
    const res = await kube(
      sim,
      'POST',
      `${WS_PATH('default')}?dryRun=All`,
      workspace('dry'),
    );
    expect(res.status).toBe(201);
    expect((await kube(sim, 'GET', WS_PATH('default', 'dry'))).status).toBe(
      404,
    );
  });

  it('paginates lists with limit and continue', async () => {
    for (const n of ['a', 'b', 'c']) {
      await kube(sim, 'POST', '/api/v1/namespaces/default/secrets', {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: `page-${n}` },
        stringData: { HF_TOKEN: 'secret-value' },
      });
    }
    const p1 = await kube(
      sim,
      'GET',
      '/api/v1/namespaces/default/secrets?limit=2',
    );
    expect(p1.json.items).toHaveLength(2);
    expect(p1.json.metadata.remainingItemCount).toBe(1);
    const p2 = await kube(
      sim,
      'GET',
      `/api/v1/namespaces/default/secrets?limit=2&continue=${p1.json.metadata.continue}`,
    );
    expect(p2.json.items.map((s: any) => s.metadata.name)).toEqual(['page-c']);
    // Secrets keep names and keys only.
    expect(p2.json.items[0].data).toEqual({ HF_TOKEN: '' });
    expect(p2.text).not.toContain('secret-value');
  });

  it('reports a too-large body with 413 and the API server limit', async () => {
    const huge = JSON.stringify({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'big' },
      data: { x: 'a'.repeat(3 * 1024 * 1024 + 10) },
    });
    const res = await kube(
      sim,
      'POST',
      '/api/v1/namespaces/default/configmaps',
      huge,
    );
    expect(res.status).toBe(413);
    expect(res.json).toMatchObject({
      reason: 'RequestEntityTooLarge',
      message: 'Request entity too large: limit is 3145728',
      code: 413,
    });
  });

  it('serves the events of a workspace pod by field selector', async () => {
    await kube(sim, 'POST', WS_PATH('default'), workspace('evented'));
    await waitFor(
      async () =>
        (
          await kube(sim, 'GET', WS_PATH('default', 'evented'))
        ).json.status?.state === 'Ready',
      'Ready',
    );
    const ev = await kube(
      sim,
      'GET',
      '/api/v1/namespaces/default/events?fieldSelector=involvedObject.name=evented-0,involvedObject.kind=Pod',
    );
    expect(ev.json.items.map((e: any) => e.reason)).toEqual(
      expect.arrayContaining(['Scheduled', 'Pulled', 'Started']),
    );
    const bad = await kube(
      sim,
      'GET',
      '/api/v1/namespaces/default/events?fieldSelector=spec.nope=1',
    );
    expect(bad.status).toBe(400);
    expect(bad.json.message).toBe('field label not supported: spec.nope');
    const ws = (await kube(sim, 'GET', WS_PATH('default', 'evented'))).json;
    expect(condition(ws, 'InferenceReady')).toMatchObject({
      status: 'True',
      reason: 'WorkspaceInferenceStatusSuccess',
    });
  });

  it('serves a container log with tailLines and limitBytes, as the kubelet does', async () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'logger', namespace: 'default' },
      spec: { containers: [{ name: 'main', image: 'busybox' }] },
    };
    expect(
      (await kube(sim, 'POST', '/api/v1/namespaces/default/pods', pod)).status,
    ).toBe(201);
    sim.writeContainerLog('default', 'logger', 'main', [
      'one',
      'two',
      'three',
      'four',
    ]);
    const base = '/api/v1/namespaces/default/pods/logger/log';
    expect((await kube(sim, 'GET', base)).text).toBe('one\ntwo\nthree\nfour\n');
    expect((await kube(sim, 'GET', `${base}?tailLines=2`)).text).toBe(
      'three\nfour\n',
    );
    // limitBytes counts from the start of what would be sent, and may cut a line.
    expect(
      (await kube(sim, 'GET', `${base}?tailLines=2&limitBytes=8`)).text,
    ).toBe('three\nfo');
    const bad = await kube(sim, 'GET', `${base}?limitBytes=0`);
    expect(bad.status).toBe(400);
    expect(bad.json.message).toBe(
      'limitBytes must be a positive integer; got 0',
    );
    expect((await kube(sim, 'GET', `${base}?container=other`)).status).toBe(
      400,
    );
  });

  it("admits what KAITO's webhook admits: the project's own warnings are not refusals", async () => {
    const ws = workspace('odd-size');
    (ws as any).resource.instanceType = 'Standard_NC8as_XYZ_v9';
    const res = await kube(sim, 'POST', `${WS_PATH('default')}?dryRun=All`, ws);
    expect(res.status).toBe(201);
  });
});

describe('simulated Kubernetes API server with KAITO in BYO-node mode', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator({
      log: () => {},
      admission: { featureGates: { disableNodeAutoProvisioning: true } },
    });
  });
  afterAll(() => sim.stop());

  it('refuses an instanceType in a dry run, as the webhook would, and persists nothing either way', async () => {
    const denied = await kube(
      sim,
      'POST',
      `${WS_PATH('default')}?dryRun=All`,
      workspace('byo'),
    );
    expect(denied.status).toBe(400);
    expect(denied.json.details).toBeUndefined();
    expect(denied.json.message).toMatch(
      /^admission webhook "validation\.workspace\.kaito\.sh" denied the request: validation failed: must be empty when node auto-provisioning is disabled.*: resource\.instanceType$/,
    );
    const byo = workspace('byo');
    delete (byo as any).resource.instanceType;
    const ok = await kube(sim, 'POST', `${WS_PATH('default')}?dryRun=All`, byo);
    expect(ok.status).toBe(201);
    expect((await kube(sim, 'GET', WS_PATH('default', 'byo'))).status).toBe(
      404,
    );
  });
});
