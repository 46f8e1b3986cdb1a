import {
  startSimulator,
  RunningSimulator,
  SimulatorOptions,
} from '../simulator';
import {
  condition,
  kube,
  waitFor,
  workspace,
  WS_PATH,
} from '../__testUtils__/http';

/**
 * Each scripted fault must show up in Workspace status the way the research
 * notes (shared/research/kaito.md §1.5-1.6, §8) say KAITO reports it.
 */

async function withSim<T>(
  opts: SimulatorOptions,
  fn: (sim: RunningSimulator) => Promise<T>,
): Promise<T> {
  const sim = await startSimulator({ log: () => {}, ...opts });
  try {
    return await fn(sim);
  } finally {
    await sim.stop();
  }
}

const getWs = async (sim: RunningSimulator, name: string, ns = 'default') =>
  (await kube(sim, 'GET', WS_PATH(ns, name))).json;
const pod = async (sim: RunningSimulator, name: string, ns = 'default') =>
  (
    await kube(
      sim,
      'GET',
      `/api/v1/namespaces/${ns}/pods?labelSelector=kaito.sh/workspace=${name}`,
    )
  ).json.items[0];

describe('KAITO controller simulation', () => {
  it('walks an inference workspace through NodeClaim -> nodes -> weights -> Ready', async () => {
    await withSim({ timings: { weightsDownloadMs: 300 } }, async sim => {
      await kube(sim, 'POST', WS_PATH('default'), workspace('walk'));
      const claim = await waitFor(
        async () =>
          (
            await kube(
              sim,
              'GET',
              '/apis/karpenter.sh/v1/nodeclaims?labelSelector=kaito.sh/workspace=walk',
            )
          ).json.items[0],
        'NodeClaim',
      );
      expect(claim.metadata.labels).toMatchObject({
        'kaito.sh/workspacenamespace': 'default',
        'karpenter.sh/nodepool': 'kaito',
        apps: 'walk',
      });
      expect(claim.spec.requirements[0]).toEqual({
        key: 'node.kubernetes.io/instance-type',
        operator: 'In',
        values: ['Standard_NC24ads_A100_v4'],
      });

      // While weights download, the pre-bound server answers /metrics with KAITO's gauges.
      const metrics = await waitFor(async () => {
        const r = await kube(
          sim,
          'GET',
          '/api/v1/namespaces/default/services/walk:http/proxy/metrics',
        );
        return r.status === 200 ? r.text : undefined;
      }, 'download metrics');
      const remaining = Number(
        /kaito_model_download_remaining_seconds ([\d.]+)/.exec(metrics)![1],
      );
      expect(remaining).toBeGreaterThan(0);
      expect(remaining).toBeLessThanOrEqual(0.3);
      const midway = await getWs(sim, 'walk');
      expect(condition(midway, 'ResourceReady')).toMatchObject({
        status: 'True',
        reason: 'workspaceResourceStatusSuccess',
      });
      expect(condition(midway, 'InferenceReady')).toMatchObject({
        status: 'False',
        reason: 'WorkspaceInferenceStatusPending',
      });
      expect(condition(midway, 'WorkspaceSucceeded')).toMatchObject({
        status: 'False',
        reason: 'workspacePending',
      });
      expect(midway.status.state).toBe('Pending');
      expect(midway.status.workerNodes).toHaveLength(1);

      const ready = await waitFor(async () => {
        const ws = await getWs(sim, 'walk');
        return ws.status.state === 'Ready' ? ws : undefined;
      }, 'Ready');
      expect(
        Object.fromEntries(
          ready.status.conditions.map((c: any) => [
            c.type,
            `${c.status}/${c.reason}`,
          ]),
        ),
      ).toEqual({
        NodeClaimReady: 'True/NodeClaimsReady',
        NodesReady: 'True/NodesReady',
        ResourceReady: 'True/workspaceResourceStatusSuccess',
        InferenceReady: 'True/WorkspaceInferenceStatusSuccess',
        BenchmarkCompleted: 'True/BenchmarkCompleted',
        WorkspaceSucceeded: 'True/workspaceSucceeded',
      });
      const claimNow = (
        await kube(
          sim,
          'GET',
          `/apis/karpenter.sh/v1/nodeclaims/${claim.metadata.name}`,
        )
      ).json;
      expect(
        claimNow.status.conditions.map((c: any) => `${c.type}=${c.status}`),
      ).toEqual([
        'Launched=True',
        'Registered=True',
        'Initialized=True',
        'Ready=True',
      ]);
      expect(claimNow.status.nodeName).toBe(ready.status.workerNodes[0]);
      expect(sim.inferenceUrl('default', 'walk')).toMatch(
        /^http:\/\/127\.0\.0\.1:\d+$/,
      );
    });
  });

  it('quotaExceeded: the NodeClaim launch error surfaces on NodeClaimReady and ResourceReady (v0.12)', async () => {
    await withSim(
      { faults: { 'default/quota': 'quotaExceeded' }, location: 'westeurope' },
      async sim => {
        await kube(sim, 'POST', WS_PATH('default'), workspace('quota'));
        const ws = await waitFor(async () => {
          const w = await getWs(sim, 'quota');
          return condition(w, 'NodeClaimReady')?.reason === 'LaunchFailed'
            ? w
            : undefined;
        }, 'LaunchFailed');
        for (const type of ['NodeClaimReady', 'ResourceReady']) {
          const c = condition(ws, type);
          expect(c.status).toBe('False');
          expect(c.message).toMatch(
            /^creating instance, Operation could not be completed as it results in exceeding approved StandardNCADSA100v4Family Cores quota\. Additional details - Deployment Model: Resource Manager, Location: westeurope, Current Limit: 0/,
          );
          // KAITO's TruncateMessage: 256 bytes and "...".
          expect(c.message.length).toBeLessThanOrEqual(259);
        }
        expect(ws.status.state).toBe('Pending');
        const claim = (
          await kube(
            sim,
            'GET',
            '/apis/karpenter.sh/v1/nodeclaims?labelSelector=kaito.sh/workspace=quota',
          )
        ).json.items[0];
        const launched = claim.status.conditions.find(
          (c: any) => c.type === 'Launched',
        );
        // Karpenter v1: a failed launch is Unknown (it retries), not False.
        expect(launched).toMatchObject({
          status: 'Unknown',
          reason: 'LaunchFailed',
        });
        expect(launched.message).toContain('Additional Required: 24');
        expect(
          claim.status.conditions.find((c: any) => c.type === 'Registered')
            .reason,
        ).toBe('AwaitingReconciliation');
      },
    );
  });

  it('quotaExceeded before v0.12 shows only the generic NodeClaimNotReady', async () => {
    await withSim({ controllerVersion: '0.11.0' }, async sim => {
      await kube(
        sim,
        'POST',
        WS_PATH('default'),
        workspace('q-old', 'default', {
          metadata: {
            annotations: { 'kaito.simulator/fault': 'quotaExceeded' },
          },
        }),
      );
      await waitFor(async () => {
        const claim = (
          await kube(
            sim,
            'GET',
            '/apis/karpenter.sh/v1/nodeclaims?labelSelector=kaito.sh/workspace=q-old',
          )
        ).json.items[0];
        return claim?.status.conditions[0].reason === 'LaunchFailed';
      }, 'launch failure');
      const ws = await getWs(sim, 'q-old');
      expect(condition(ws, 'NodeClaimReady')).toMatchObject({
        status: 'False',
        reason: 'NodeClaimNotReady',
        message: 'Ready NodeClaims are not enough',
      });
    });
  });

  it('oomKilled: InferenceReady=False ContainerOOMKilled while the pod restarts (v0.12)', async () => {
    await withSim({ faults: { 'default/oom': 'oomKilled' } }, async sim => {
      await kube(sim, 'POST', WS_PATH('default'), workspace('oom'));
      const ws = await waitFor(async () => {
        const w = await getWs(sim, 'oom');
        return condition(w, 'InferenceReady')?.reason === 'ContainerOOMKilled'
          ? w
          : undefined;
      }, 'ContainerOOMKilled');
      expect(condition(ws, 'InferenceReady').status).toBe('False');
      expect(condition(ws, 'InferenceReady').message).toMatch(
        /OOMKilled.*reduce memory usage or use a larger instance type$/,
      );
      expect(condition(ws, 'WorkspaceSucceeded')).toMatchObject({
        status: 'False',
        reason: 'workspacePending',
      });
      expect(ws.status.state).toBe('Pending');
      const p = await waitFor(async () => {
        const x = await pod(sim, 'oom');
        return x.status.containerStatuses[0].restartCount >= 2 ? x : undefined;
      }, 'restarts');
      expect(p.status.containerStatuses[0].lastState.terminated).toMatchObject({
        reason: 'OOMKilled',
        exitCode: 137,
      });
      expect(p.status.containerStatuses[0].state.waiting.reason).toBe(
        'CrashLoopBackOff',
      );
      const proxied = await kube(
        sim,
        'GET',
        '/api/v1/namespaces/default/services/oom:http/proxy/health',
      );
      expect(proxied.status).toBe(503);
      expect(proxied.json.message).toMatch(
        /^error trying to reach service: dial tcp [\d.]+:5000: connect: connection refused$/,
      );
    });
  });

  it('oomKilled on an old controller (≤ 0.8, no recomputed status) reports success while the pod crash-loops (KAITO #1493)', async () => {
    await withSim(
      {
        controllerVersion: '0.8.0',
        faults: { 'default/oom-old': 'oomKilled' },
      },
      async sim => {
        await kube(sim, 'POST', WS_PATH('default'), workspace('oom-old'));
        const ws = await waitFor(async () => {
          const w = await getWs(sim, 'oom-old');
          return condition(w, 'WorkspaceSucceeded')?.status === 'True'
            ? w
            : undefined;
        }, 'misleading Ready');
        expect(ws.status.state).toBeUndefined();
        expect(condition(ws, 'InferenceReady').status).toBe('True');
        expect(condition(ws, 'WorkspaceSucceeded').status).toBe('True');
        const p = await pod(sim, 'oom-old');
        expect(p.status.containerStatuses[0].lastState.terminated.reason).toBe(
          'OOMKilled',
        );
        expect(p.status.containerStatuses[0].ready).toBe(false);
      },
    );
  });

  it('imagePullError: a bad adapter image leaves the pod in ImagePullBackOff with InferenceReady=False ImagePullError', async () => {
    await withSim(
      { faults: { 'default/adapter': 'imagePullError' } },
      async sim => {
        const ws0 = workspace('adapter', 'default', {
          inference: {
            preset: { name: 'phi-4-mini-instruct' },
            adapters: [
              {
                source: {
                  name: 'my-adapter',
                  image: 'myacr.azurecr.io/bad-adapter:0.0.1',
                },
              },
            ],
          },
        });
        expect((await kube(sim, 'POST', WS_PATH('default'), ws0)).status).toBe(
          201,
        );
        const ws = await waitFor(async () => {
          const w = await getWs(sim, 'adapter');
          return condition(w, 'InferenceReady')?.reason === 'ImagePullError'
            ? w
            : undefined;
        }, 'ImagePullError');
        expect(condition(ws, 'InferenceReady').message).toContain(
          'myacr.azurecr.io/bad-adapter:0.0.1',
        );
        expect(condition(ws, 'ResourceReady').status).toBe('True');
        const p = await pod(sim, 'adapter');
        expect(p.status.phase).toBe('Pending');
        expect(p.status.initContainerStatuses[0]).toMatchObject({
          name: 'my-adapter',
          state: { waiting: { reason: 'ImagePullBackOff' } },
        });
        const events = (
          await kube(
            sim,
            'GET',
            '/api/v1/namespaces/default/events?fieldSelector=involvedObject.name=adapter-0,type=Warning',
          )
        ).json.items;
        expect(events.map((e: any) => e.message)).toEqual(
          expect.arrayContaining([
            expect.stringMatching(
              /^Failed to pull image "myacr\.azurecr\.io\/bad-adapter:0\.0\.1"/,
            ),
          ]),
        );
      },
    );
  });

  it.each([
    ['0.8.0', 'stays Ready (KAITO #931: InferenceReady is never recomputed)'],
    [
      '0.12.0',
      'turns NotReady with the classified crash loop (v0.9+ recompute readiness)',
    ],
  ])('crashLoopWhileReady on %s: the Workspace %s', async controllerVersion => {
    await withSim(
      {
        controllerVersion,
        faults: { 'default/flappy': 'crashLoopWhileReady' },
      },
      async sim => {
        await kube(sim, 'POST', WS_PATH('default'), workspace('flappy'));
        const p = await waitFor(async () => {
          const x = await pod(sim, 'flappy');
          return x?.status.containerStatuses[0].restartCount >= 1
            ? x
            : undefined;
        }, 'crash loop');
        expect(p.status.containerStatuses[0].state.waiting.reason).toBe(
          'CrashLoopBackOff',
        );
        const ws = await getWs(sim, 'flappy');
        const legacy = controllerVersion === '0.8.0';
        expect(ws.status.state).toBe(legacy ? undefined : 'NotReady');
        expect(condition(ws, 'InferenceReady')).toMatchObject(
          legacy
            ? { status: 'True', reason: 'WorkspaceInferenceStatusSuccess' }
            : {
                status: 'False',
                reason: 'ContainerCrashLoopBackOff',
                message:
                  'container "flappy" is in CrashLoopBackOff; last termination: exit code 1',
              },
        );
        const chat = await kube(
          sim,
          'POST',
          '/api/v1/namespaces/default/services/flappy:http/proxy/v1/chat/completions',
          { messages: [{ role: 'user', content: 'hi' }] },
        );
        expect(chat.status).toBe(503);
      },
    );
  });

  it('gated model without an HF token secret crash-loops with the Hugging Face 401 on InferenceReady', async () => {
    await withSim({}, async sim => {
      const gated = workspace('llama', 'default', {
        inference: { preset: { name: 'meta-llama/Llama-3.1-8B-Instruct' } },
      });
      expect((await kube(sim, 'POST', WS_PATH('default'), gated)).status).toBe(
        201,
      );
      const ws = await waitFor(async () => {
        const w = await getWs(sim, 'llama');
        return condition(w, 'InferenceReady')?.reason ===
          'ContainerCrashLoopBackOff'
          ? w
          : undefined;
      }, 'crash loop');
      // KAITO's words; the 401 is only in the container log (no termination message).
      expect(condition(ws, 'InferenceReady').message).toBe(
        'container "llama" is in CrashLoopBackOff; last termination: exit code 1',
      );
      const crashed = await pod(sim, 'llama');
      expect(
        crashed.status.containerStatuses[0].lastState.terminated,
      ).not.toHaveProperty('message');
      expect(ws.status.state).toBe('Pending');

      // With a token secret the same model becomes Ready.
      await kube(sim, 'POST', '/api/v1/namespaces/default/secrets', {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'hf-token' },
        stringData: { HF_TOKEN: 'hf_xxx' },
      });
      const withToken = workspace('llama-ok', 'default', {
        inference: {
          preset: {
            name: 'meta-llama/Llama-3.1-8B-Instruct',
            presetOptions: { modelAccessSecret: 'hf-token' },
          },
        },
      });
      expect(
        (await kube(sim, 'POST', WS_PATH('default'), withToken)).status,
      ).toBe(201);
      await waitFor(
        async () => (await getWs(sim, 'llama-ok')).status.state === 'Ready',
        'Ready with token',
      );

      // A named secret that does not exist: since 0.11 the reference is optional, so the
      // container starts without a token and crash-loops on the 401.
      const missing = workspace('llama-missing', 'default', {
        inference: {
          preset: {
            name: 'meta-llama/Llama-3.1-8B-Instruct',
            presetOptions: { modelAccessSecret: 'nope' },
          },
        },
      });
      await kube(sim, 'POST', WS_PATH('default'), missing);
      await waitFor(async () => {
        const w = await getWs(sim, 'llama-missing');
        return condition(w, 'InferenceReady')?.reason ===
          'ContainerCrashLoopBackOff'
          ? w
          : undefined;
      }, 'crash loop without the missing Secret');
    });
  });

  it('gatedModelWithoutToken can be scripted for any model by annotation', async () => {
    await withSim({}, async sim => {
      await kube(
        sim,
        'POST',
        WS_PATH('default'),
        workspace('scripted', 'default', {
          metadata: {
            annotations: { 'kaito.simulator/fault': 'gatedModelWithoutToken' },
          },
        }),
      );
      const ws = await waitFor(async () => {
        const w = await getWs(sim, 'scripted');
        return condition(w, 'InferenceReady')?.reason ===
          'ContainerCrashLoopBackOff'
          ? w
          : undefined;
      }, 'crash loop');
      expect(condition(ws, 'InferenceReady').message).toBe(
        'container "scripted" is in CrashLoopBackOff; last termination: exit code 1',
      );
      const p = await pod(sim, 'scripted');
      expect(p.status.containerStatuses[0].lastState.terminated).toMatchObject({
        reason: 'Error',
        exitCode: 1,
      });
    });
  });

  it('runs a tuning workspace through job started -> running -> succeeded', async () => {
    await withSim({}, async sim => {
      const tuning = {
        apiVersion: 'kaito.sh/v1beta1',
        kind: 'Workspace',
        metadata: { name: 'tune', namespace: 'default' },
        resource: {
          instanceType: 'Standard_NC24ads_A100_v4',
          labelSelector: { matchLabels: { apps: 'tune' } },
        },
        tuning: {
          preset: { name: 'phi-3-mini-128k-instruct' },
          method: 'qlora',
          input: { urls: ['https://example.com/data.parquet'] },
          output: {
            image: 'myacr.azurecr.io/out:0.0.1',
            imagePushSecret: 'acr-secret',
          },
        },
      };
      const created = await kube(sim, 'POST', WS_PATH('default'), tuning);
      expect(created.status).toBe(201);
      const states = new Set<string>();
      const done = await waitFor(
        async () => {
          const w = await getWs(sim, 'tune');
          if (w.status?.state) states.add(w.status.state);
          return w.status?.state === 'Succeeded' ? w : undefined;
        },
        'tuning Succeeded',
        3000,
        2,
      );
      expect(states.has('Running')).toBe(true);
      expect(condition(done, 'JobStarted')).toMatchObject({
        status: 'True',
        reason: 'WorkspaceTuningJobStatusStarted',
      });
      expect(condition(done, 'WorkspaceSucceeded')).toMatchObject({
        status: 'True',
        reason: 'workspaceSucceeded',
      });
      const job = (
        await kube(sim, 'GET', '/apis/batch/v1/namespaces/default/jobs/tune')
      ).json;
      expect(job.status.succeeded).toBe(1);
      expect(job.status.conditions.map((c: any) => c.type)).toContain(
        'Complete',
      );
    });
  });

  it('emulates old controllers: no status.state before v0.9, WorkspaceReady and a Deployment before v0.3.1', async () => {
    await withSim({ controllerVersion: '0.8.0' }, async sim => {
      await kube(sim, 'POST', WS_PATH('default'), workspace('v08'));
      const ws = await waitFor(async () => {
        const w = await getWs(sim, 'v08');
        return condition(w, 'WorkspaceSucceeded')?.status === 'True'
          ? w
          : undefined;
      }, 'succeeded');
      expect(ws.status.state).toBeUndefined();
      expect(condition(ws, 'BenchmarkCompleted')).toBeUndefined();
      expect(
        (
          await kube(
            sim,
            'GET',
            '/apis/apps/v1/namespaces/default/statefulsets/v08',
          )
        ).status,
      ).toBe(200);
    });
    await withSim({ controllerVersion: '0.3.0' }, async sim => {
      await kube(sim, 'POST', WS_PATH('default'), workspace('v03'));
      const ws = await waitFor(async () => {
        const w = await getWs(sim, 'v03');
        return condition(w, 'WorkspaceReady')?.status === 'True'
          ? w
          : undefined;
      }, 'WorkspaceReady');
      expect(condition(ws, 'WorkspaceSucceeded')).toBeUndefined();
      expect(ws.status.state).toBeUndefined();
      expect(
        (
          await kube(
            sim,
            'GET',
            '/apis/apps/v1/namespaces/default/deployments/v03',
          )
        ).status,
      ).toBe(200);
      const p = await pod(sim, 'v03');
      expect(p.metadata.name).toMatch(/^v03-[0-9a-f]+-[0-9a-f]+$/);
      // Deployments are proxied through the Service selector as well.
      const models = await kube(
        sim,
        'GET',
        '/api/v1/namespaces/default/services/v03:80/proxy/v1/models',
      );
      expect(models.json.data[0].id).toBe('phi-4-mini-instruct');
    });
  });

  it('cleans up a namespace with workspaces in it', async () => {
    await withSim({}, async sim => {
      await kube(sim, 'POST', '/api/v1/namespaces', {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'doomed' },
      });
      await kube(sim, 'POST', WS_PATH('doomed'), workspace('w', 'doomed'));
      await waitFor(
        async () => (await getWs(sim, 'w', 'doomed')).status?.state === 'Ready',
        'Ready',
      );
      // A foreign finalizer holds the namespace in Terminating until it is removed.
      await kube(sim, 'POST', '/api/v1/namespaces/doomed/configmaps', {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'held', finalizers: ['example.com/hold'] },
      });
      const del = await kube(sim, 'DELETE', '/api/v1/namespaces/doomed');
      expect(del.json.status.phase).toBe('Terminating');
      await waitFor(
        async () =>
          (await kube(sim, 'GET', WS_PATH('doomed', 'w'))).status === 404,
        'workspace finalized',
      );
      const blocked = await kube(
        sim,
        'POST',
        WS_PATH('doomed'),
        workspace('late', 'doomed'),
      );
      expect(blocked.status).toBe(403);
      expect(blocked.json.message).toBe(
        'workspaces.kaito.sh "late" is forbidden: unable to create new content in namespace doomed because it is being terminated',
      );
      await kube(
        sim,
        'PATCH',
        '/api/v1/namespaces/doomed/configmaps/held',
        { metadata: { finalizers: null } },
        { contentType: 'application/merge-patch+json' },
      );
      await waitFor(
        async () =>
          (await kube(sim, 'GET', '/api/v1/namespaces/doomed')).status === 404,
        'namespace gone',
      );
      expect(
        (await kube(sim, 'GET', '/apis/karpenter.sh/v1/nodeclaims')).json.items,
      ).toHaveLength(0);
      expect(sim.inferenceUrl('doomed', 'w')).toBeUndefined();
    });
  });
});

describe('KAITO ≤ 0.10: a named access Secret that does not exist', () => {
  it('stops the container with CreateContainerConfigError (the HF_TOKEN reference is required)', async () => {
    await withSim({ controllerVersion: '0.10.0' }, async sim => {
      await kube(
        sim,
        'POST',
        WS_PATH('default'),
        workspace('llama-missing', 'default', {
          inference: {
            preset: {
              name: 'meta-llama/Llama-3.1-8B-Instruct',
              presetOptions: { modelAccessSecret: 'nope' },
            },
          },
        }),
      );
      const p = await waitFor(async () => {
        const x = await pod(sim, 'llama-missing');
        return x?.status.containerStatuses?.[0]?.state?.waiting?.reason ===
          'CreateContainerConfigError'
          ? x
          : undefined;
      }, 'CreateContainerConfigError');
      expect(p.status.containerStatuses[0].state.waiting.message).toBe(
        'secret "nope" not found',
      );
      const ws = await getWs(sim, 'llama-missing');
      // 0.10 does not classify pod failures: InferenceReady stays Pending.
      expect(condition(ws, 'InferenceReady').reason).toBe(
        'WorkspaceInferenceStatusPending',
      );
    });
  });
});
