import { workspaceReadiness, type ReadinessPhase } from '.';
import type {
  KubeCondition,
  KubeEvent,
  KubePod,
  NodeClaim,
} from '../types/kube';

/*
 * Condition sets written from the research notes (kaito.md §1.5–1.6):
 * reasons and messages as each controller generation writes them.
 */

const T0 = '2026-08-01T10:00:00Z';
const NOW = Date.parse('2026-08-01T10:20:00Z');

function cond(
  type: string,
  status: 'True' | 'False' | 'Unknown',
  reason: string,
  message = '',
  at = T0,
): KubeCondition {
  return { type, status, reason, message, lastTransitionTime: at };
}

function ws(opts: {
  conditions?: KubeCondition[];
  state?: string;
  apiVersion?: string;
  tuning?: boolean;
  annotations?: Record<string, string>;
  model?: string;
  targetNodeCount?: number;
}): object {
  const base = {
    apiVersion: opts.apiVersion ?? 'kaito.sh/v1beta1',
    kind: 'Workspace',
    metadata: {
      name: 'workspace-phi',
      namespace: 'default',
      creationTimestamp: T0,
      annotations: opts.annotations,
    },
    resource: {
      instanceType: 'Standard_NC24ads_A100_v4',
      labelSelector: { matchLabels: { apps: 'phi' } },
    },
    status: {
      conditions: opts.conditions ?? [],
      ...(opts.state ? { state: opts.state } : {}),
      ...(opts.targetNodeCount
        ? { targetNodeCount: opts.targetNodeCount }
        : {}),
    },
  };
  return opts.tuning
    ? {
        ...base,
        tuning: {
          preset: { name: 'phi-3-mini-128k-instruct' },
          method: 'qlora',
          input: { urls: ['https://example.com/d.parquet'] },
          output: { image: 'myacr.azurecr.io/out:1', imagePushSecret: 'push' },
        },
      }
    : {
        ...base,
        inference: {
          preset: { name: opts.model ?? 'microsoft/Phi-4-mini-instruct' },
        },
      };
}

const resourceReady = cond(
  'ResourceReady',
  'True',
  'workspaceResourceStatusSuccess',
  'workspace resource is ready',
);
const nodeClaimReady = cond(
  'NodeClaimReady',
  'True',
  'NodeClaimsReady',
  'Enough NodeClaims are ready',
);
const nodesReady = cond(
  'NodesReady',
  'True',
  'NodesReady',
  'Enough Nodes are ready',
);
const inferenceReady = cond(
  'InferenceReady',
  'True',
  'WorkspaceInferenceStatusSuccess',
  'Inference has been deployed successfully',
);
const inferencePending = cond(
  'InferenceReady',
  'False',
  'WorkspaceInferenceStatusPending',
  'Inference workload is not ready',
);
const succeeded = cond(
  'WorkspaceSucceeded',
  'True',
  'workspaceSucceeded',
  'workspace succeeds',
);
const pending = cond(
  'WorkspaceSucceeded',
  'False',
  'workspacePending',
  'workspace is waiting for inference workload readiness',
);
const nodesNotReady = [
  cond(
    'NodeClaimReady',
    'False',
    'NodeClaimNotReady',
    'Ready NodeClaims are not enough',
  ),
  cond(
    'ResourceReady',
    'False',
    'NodeClaimNotReady',
    'Ready NodeClaims are not enough',
  ),
  pending,
];
const allReady = [
  nodeClaimReady,
  nodesReady,
  resourceReady,
  inferenceReady,
  succeeded,
];

function pod(
  name: string,
  cs: Partial<
    NonNullable<NonNullable<KubePod['status']>['containerStatuses']>[number]
  >,
  phase = 'Running',
): KubePod {
  return {
    metadata: { name, labels: { 'kaito.sh/workspace': 'workspace-phi' } },
    status: {
      phase,
      containerStatuses: [{ name: 'workspace-phi', restartCount: 0, ...cs }],
    },
  };
}

const healthyPod = pod('workspace-phi-0', {
  ready: true,
  started: true,
  state: { running: { startedAt: T0 } },
});

function phaseOf(
  obj: object,
  ctx: Parameters<typeof workspaceReadiness>[1] = {},
): ReadinessPhase {
  return workspaceReadiness(obj, { now: NOW, ...ctx }).phase;
}

describe('workspaceReadiness: controller generations', () => {
  it('v0.12 (status.state Ready, all conditions True) is Ready', () => {
    const r = workspaceReadiness(
      ws({ state: 'Ready', conditions: allReady, targetNodeCount: 1 }),
      { now: NOW, pods: [healthyPod] },
    );
    expect(r.phase).toBe('Ready');
    expect(r.reason).toBe(
      'Serving phi-4-mini-instruct with vLLM on 1 × Standard_NC24ads_A100_v4.',
    );
    expect(r).toMatchObject({
      mode: 'inference',
      runtime: 'vllm',
      instanceType: 'Standard_NC24ads_A100_v4',
      model: 'microsoft/Phi-4-mini-instruct',
      targetNodeCount: 1,
    });
    expect(r.steps.map(s => [s.id, s.status])).toEqual([
      ['created', 'done'],
      ['nodes', 'done'],
      ['weights', 'done'],
      ['inference', 'done'],
      ['ready', 'done'],
    ]);
    expect(r.steps[1].at).toBe(T0);
    expect(r.conditions).toHaveLength(5);
  });

  it('v0.12 Pending while NodeClaims are not ready is ProvisioningNodes, not Failed', () => {
    const r = workspaceReadiness(
      ws({ state: 'Pending', conditions: nodesNotReady }),
      { now: Date.parse('2026-08-01T10:10:00Z') },
    );
    expect(r.phase).toBe('ProvisioningNodes');
    expect(r.reason).toMatch(/Provisioning 1 × Standard_NC24ads_A100_v4/);
    expect(r.outcome).toBe('progress');
    expect(r.timing).toMatchObject({ seconds: 600, slow: false });
    expect(r.steps.find(s => s.id === 'nodes')).toMatchObject({
      status: 'active',
      detail: 'Ready NodeClaims are not enough',
    });
  });

  it('v0.8 (no status.state): workspacePending is progress, not failure (AI Runway pitfall)', () => {
    const r = workspaceReadiness(
      ws({ conditions: [resourceReady, inferencePending, pending] }),
      { now: NOW },
    );
    expect(r.phase).toBe('StartingInference');
    expect(r.reason).toMatch(
      /loading microsoft\/Phi-4-mini-instruct \(7\.15 GiB\)/,
    );
  });

  it('v0.8 without state and WorkspaceSucceeded=True is Ready', () => {
    expect(phaseOf(ws({ conditions: allReady }))).toBe('Ready');
  });

  it('<= v0.3.0 WorkspaceReady condition is understood', () => {
    const old = [
      resourceReady,
      inferenceReady,
      cond('WorkspaceReady', 'True', 'workspaceReady', 'workspace is ready'),
    ];
    expect(
      phaseOf(ws({ apiVersion: 'kaito.sh/v1alpha1', conditions: old })),
    ).toBe('Ready');
    const oldPending = [
      cond('ResourceReady', 'False', 'workspaceResourceStatusNotReady', ''),
      cond(
        'WorkspaceReady',
        'False',
        'workspacePending',
        'workspace is waiting',
      ),
    ];
    expect(
      phaseOf(ws({ apiVersion: 'kaito.sh/v1alpha1', conditions: oldPending })),
    ).toBe('ProvisioningNodes');
  });

  it('a new Workspace with no status is Pending', () => {
    const r = workspaceReadiness(ws({}), { now: NOW });
    expect(r.phase).toBe('Pending');
    expect(r.reason).toMatch(/Waiting for the KAITO controller/);
  });

  it('v0.10+: InferenceReady but state Pending while the benchmark runs is StartingInference', () => {
    const r = workspaceReadiness(
      ws({
        state: 'Pending',
        conditions: [
          resourceReady,
          inferenceReady,
          cond('BenchmarkCompleted', 'Unknown', 'BenchmarkRunning'),
          pending,
        ],
      }),
      { now: NOW },
    );
    expect(r.phase).toBe('StartingInference');
    expect(r.reason).toMatch(/benchmark/);
    expect(r.steps.find(s => s.id === 'benchmark')?.status).toBe('active');
  });

  it('uses pods to tell downloading weights from starting', () => {
    const conds = [resourceReady, inferencePending, pending];
    const loading = pod('workspace-phi-0', {
      ready: false,
      started: false,
      state: { running: { startedAt: T0 } },
    });
    expect(
      phaseOf(ws({ state: 'Pending', conditions: conds }), { pods: [loading] }),
    ).toBe('DownloadingWeights');
    const creating = pod(
      'workspace-phi-0',
      { state: { waiting: { reason: 'ContainerCreating' } } },
      'Pending',
    );
    expect(
      phaseOf(ws({ state: 'Pending', conditions: conds }), {
        pods: [creating],
      }),
    ).toBe('DownloadingWeights');
    const started = pod('workspace-phi-0', {
      ready: false,
      started: true,
      state: { running: { startedAt: T0 } },
    });
    expect(
      phaseOf(ws({ state: 'Pending', conditions: conds }), { pods: [started] }),
    ).toBe('StartingInference');
  });

  it('model mirror download (ModelMirrorNotReady) is DownloadingWeights', () => {
    const conds = [
      cond('ResourceReady', 'True', 'workspaceResourceStatusSuccess'),
      cond(
        'ModelMirrorReady',
        'False',
        'ModelMirrorPending',
        'Model download in progress',
      ),
      inferencePending,
    ];
    expect(phaseOf(ws({ state: 'Pending', conditions: conds }))).toBe(
      'DownloadingWeights',
    );
  });

  it('slow provisioning says how long and where to look', () => {
    const r = workspaceReadiness(
      ws({ state: 'Pending', conditions: nodesNotReady }),
      { now: Date.parse(T0) + 45 * 60000 },
    );
    expect(r.phase).toBe('ProvisioningNodes');
    expect(r.reason).toMatch(/after 45 minutes; .*NodeClaims.* for quota/);
  });

  it('transformers runtime is reported', () => {
    const r = workspaceReadiness(
      ws({
        state: 'Ready',
        conditions: allReady,
        annotations: { 'kaito.sh/runtime': 'transformers' },
        model: 'phi-4',
      }),
      { now: NOW },
    );
    expect(r.runtime).toBe('transformers');
    expect(r.reason).toMatch(/Hugging Face Transformers/);
  });
});

describe('workspaceReadiness: failures with a fix', () => {
  const quotaMsg =
    'creating instance, Operation could not be completed as it results in exceeding approved StandardNCADSA100v4Family Cores quota. Additional details - Location: eastus';

  it('quota exceeded on NodeClaimReady (v0.12, PR #2203) names the family', () => {
    const r = workspaceReadiness(
      ws({
        state: 'Pending',
        conditions: [
          cond('NodeClaimReady', 'False', 'LaunchFailed', quotaMsg),
          cond('ResourceReady', 'False', 'LaunchFailed', quotaMsg),
          pending,
        ],
      }),
      { now: NOW },
    );
    expect(r.phase).toBe('Failed');
    expect(r.reason).toMatch(
      /Azure quota is exhausted.*request more quota for the StandardNCADSA100v4Family in/,
    );
    expect(r.steps.find(s => s.id === 'nodes')?.status).toBe('failed');
    expect(r.steps.find(s => s.id === 'inference')?.status).toBe('pending');
  });

  it('quota exceeded seen only on the NodeClaim (older controllers: generic condition)', () => {
    const nc: NodeClaim = {
      metadata: {
        name: 'ws0abcd',
        labels: { 'kaito.sh/workspace': 'workspace-phi' },
      },
      status: {
        conditions: [
          cond(
            'Launched',
            'False',
            'QuotaExceeded',
            'QuotaExceeded: subscription has no quota for StandardNCADSA100v4Family',
          ),
        ],
      },
    };
    const r = workspaceReadiness(ws({ conditions: nodesNotReady }), {
      now: NOW,
      nodeClaims: [nc],
    });
    expect(r.phase).toBe('Failed');
    expect(r.reason).toMatch(/quota/);
  });

  it('quota exceeded from a Warning event', () => {
    const ev: KubeEvent = {
      type: 'Warning',
      reason: 'ProvisioningFailed',
      message: quotaMsg,
      involvedObject: { kind: 'NodeClaim', name: 'ws0abcd' },
    };
    expect(phaseOf(ws({ conditions: nodesNotReady }), { events: [ev] })).toBe(
      'Failed',
    );
    expect(
      phaseOf(ws({ conditions: nodesNotReady }), {
        events: [{ ...ev, type: 'Normal', message: 'Launched' }],
      }),
    ).toBe('ProvisioningNodes');
  });

  it('an unauthorized provisioner is a provisioning failure', () => {
    const c = cond(
      'NodeClaimReady',
      'False',
      'LaunchFailed',
      'AuthorizationFailed: the client does not have authorization to perform action',
    );
    const r = workspaceReadiness(
      ws({ state: 'Pending', conditions: [c, pending] }),
      { now: NOW },
    );
    expect(r.phase).toBe('Failed');
    expect(r.reason).toMatch(/provisioning failed.*permissions/);
  });

  it('ContainerOOMKilled on InferenceReady (v0.12)', () => {
    const oom = cond(
      'InferenceReady',
      'False',
      'ContainerOOMKilled',
      'container workspace-phi was OOMKilled; reduce memory usage or use a larger instance type',
    );
    const r = workspaceReadiness(
      ws({ state: 'Pending', conditions: [resourceReady, oom, pending] }),
      { now: NOW },
    );
    expect(r.phase).toBe('Failed');
    expect(r.reason).toMatch(
      /out of memory.*larger instance type, or lower vllm max-model-len/,
    );
  });

  it('OOMKilled seen on the pod of an older controller', () => {
    const p = pod('workspace-phi-0', {
      restartCount: 3,
      state: { waiting: { reason: 'CrashLoopBackOff' } },
      lastState: {
        terminated: {
          reason: 'OOMKilled',
          exitCode: 137,
          finishedAt: '2026-08-01T10:18:00Z',
        },
      },
    });
    const r = workspaceReadiness(
      ws({ conditions: [resourceReady, inferencePending, pending] }),
      { now: NOW, pods: [p] },
    );
    expect(r.phase).toBe('Failed');
    expect(r.reason).toMatch(/out of memory \(3 restarts so far\)/);
  });

  it('image pull errors', () => {
    const c = cond(
      'InferenceReady',
      'False',
      'ImagePullError',
      'Back-off pulling image "myacr.azurecr.io/adapter:0.0.1"',
    );
    expect(
      workspaceReadiness(
        ws({ state: 'Pending', conditions: [resourceReady, c, pending] }),
        { now: NOW },
      ).reason,
    ).toMatch(/cannot be pulled.*imagePullSecrets/);
    const p = pod(
      'workspace-phi-0',
      {
        state: {
          waiting: {
            reason: 'ImagePullBackOff',
            message: 'Back-off pulling image',
          },
        },
      },
      'Pending',
    );
    expect(
      phaseOf(ws({ conditions: [resourceReady, inferencePending, pending] }), {
        pods: [p],
      }),
    ).toBe('Failed');
  });

  it('gated model without token (pod log message in the last termination)', () => {
    const msg =
      'huggingface_hub.errors.GatedRepoError: 401 Client Error. Cannot access gated repo for url https://huggingface.co/meta-llama/Llama-3.1-8B-Instruct/resolve/main/config.json.';
    const p = pod('workspace-phi-0', {
      restartCount: 2,
      state: { waiting: { reason: 'CrashLoopBackOff' } },
      lastState: { terminated: { reason: 'Error', exitCode: 1, message: msg } },
    });
    const r = workspaceReadiness(
      ws({
        model: 'meta-llama/Llama-3.1-8B-Instruct',
        conditions: [resourceReady, inferencePending, pending],
      }),
      { now: NOW, pods: [p] },
    );
    expect(r.phase).toBe('Failed');
    expect(r.reason).toMatch(
      /gated Hugging Face model.*HF_TOKEN.*modelAccessSecret/,
    );
    expect(r.steps.find(s => s.id === 'weights')?.status).toBe('failed');
    // v0.12 puts it on InferenceReady as a crash loop with the termination message.
    const c = cond(
      'InferenceReady',
      'False',
      'ContainerCrashLoopBackOff',
      `back-off restarting; last termination: ${msg}`,
    );
    expect(
      workspaceReadiness(
        ws({ state: 'Pending', conditions: [resourceReady, c, pending] }),
        { now: NOW },
      ).reason,
    ).toMatch(/gated/);
  });

  it('never echoes an HF token found in a message', () => {
    const p = pod('workspace-phi-0', {
      restartCount: 9,
      state: { waiting: { reason: 'CrashLoopBackOff' } },
      lastState: {
        terminated: {
          reason: 'Error',
          message: 'bad token hf_abcdefghijklmnopqrstuv rejected',
        },
      },
    });
    const r = workspaceReadiness(
      ws({ conditions: [resourceReady, inferencePending, pending] }),
      { now: NOW, pods: [p] },
    );
    expect(JSON.stringify(r)).not.toContain('hf_abcdefghijklmnopqrstuv');
    expect(r.reason).toContain('hf_***');
  });

  it('the last reconcile error suffix is surfaced when it is not transient', () => {
    const c = cond(
      'WorkspaceSucceeded',
      'False',
      'workspacePending',
      'workspace is waiting (last reconcile error: GPU memory 24Gi of Standard_NV36ads_A10_v5 is too small for model)',
    );
    const r = workspaceReadiness(ws({ state: 'Pending', conditions: [c] }), {
      now: NOW,
    });
    expect(r.phase).toBe('Failed');
    expect(r.reason).toMatch(
      /cannot reconcile the Workspace: GPU memory 24Gi .* is too small/,
    );
  });

  it('a transient last reconcile error keeps the progress phase with a note', () => {
    const c = cond(
      'ResourceReady',
      'False',
      'NodeClaimNotReady',
      'Ready NodeClaims are not enough (last reconcile error: Operation cannot be fulfilled: the object has been modified)',
    );
    const r = workspaceReadiness(
      ws({ state: 'Pending', conditions: [c, pending] }),
      { now: NOW },
    );
    expect(r.phase).toBe('ProvisioningNodes');
    expect(r.reason).toMatch(/transient error and will retry/);
    expect(r.steps.find(s => s.id === 'nodes')?.detail).toBe(
      'Ready NodeClaims are not enough',
    );
  });

  it('status.state Failed without details still says so', () => {
    const r = workspaceReadiness(
      ws({
        state: 'Failed',
        conditions: [
          cond('InferenceReady', 'False', 'SomethingNew', 'unexpected'),
        ],
      }),
      { now: NOW },
    );
    expect(r.phase).toBe('Failed');
  });

  it('a couple of early restarts are not yet a failure (large models may need a retry, kaito#1567)', () => {
    const p = pod('workspace-phi-0', {
      restartCount: 1,
      state: { waiting: { reason: 'CrashLoopBackOff' } },
      lastState: { terminated: { reason: 'Error', exitCode: 1 } },
    });
    const r = workspaceReadiness(
      ws({
        state: 'Pending',
        conditions: [resourceReady, inferencePending, pending],
      }),
      { now: NOW, pods: [p] },
    );
    expect(r.phase).toBe('StartingInference');
    expect(r.reason).toMatch(/restarting it \(attempt 2\)/);
    expect(r.outcome).toBe('retrying');
    expect(r.attempts).toBe(1);
  });
});

describe('workspaceReadiness: Degraded under InferenceReady=True (kaito#1493, #931)', () => {
  it('CrashLoopBackOff pod while KAITO says Ready', () => {
    const p = pod('workspace-phi-0', {
      restartCount: 4,
      state: { waiting: { reason: 'CrashLoopBackOff' } },
      lastState: { terminated: { reason: 'Error', exitCode: 1 } },
    });
    const r = workspaceReadiness(ws({ state: 'Ready', conditions: allReady }), {
      now: NOW,
      pods: [p],
    });
    expect(r.phase).toBe('Degraded');
    expect(r.reason).toMatch(
      /^KAITO reports the Workspace ready, but the inference container keeps crashing \(4 restarts so far\)/,
    );
    expect(r.steps.find(s => s.id === 'ready')?.status).toBe('warning');
  });

  it('OOM restart loop while InferenceReady=True and WorkspaceSucceeded=True (no state, v0.8)', () => {
    const p = pod('workspace-phi-0', {
      ready: true,
      restartCount: 12,
      state: { running: { startedAt: '2026-08-01T10:19:00Z' } },
      lastState: {
        terminated: {
          reason: 'OOMKilled',
          exitCode: 137,
          finishedAt: '2026-08-01T10:18:50Z',
        },
      },
    });
    const r = workspaceReadiness(ws({ conditions: allReady }), {
      now: NOW,
      pods: [p],
    });
    expect(r.phase).toBe('Degraded');
    expect(r.reason).toMatch(/out of memory \(12 restarts so far\)/);
  });

  it('restart storm without a reason', () => {
    const p = pod('workspace-phi-0', {
      ready: true,
      restartCount: 7,
      state: { running: {} },
      lastState: { terminated: { reason: 'Error', exitCode: 1 } },
    });
    expect(
      phaseOf(ws({ state: 'Ready', conditions: allReady }), { pods: [p] }),
    ).toBe('Degraded');
  });

  it('an old OOM long ago on a now-healthy pod stays Ready', () => {
    const p = pod('workspace-phi-0', {
      ready: true,
      restartCount: 1,
      state: { running: {} },
      lastState: {
        terminated: { reason: 'OOMKilled', finishedAt: '2026-07-30T10:00:00Z' },
      },
    });
    expect(
      phaseOf(ws({ state: 'Ready', conditions: allReady }), { pods: [p] }),
    ).toBe('Ready');
  });

  it('status.state NotReady after being Ready is Degraded', () => {
    const r = workspaceReadiness(
      ws({
        state: 'NotReady',
        conditions: [
          resourceReady,
          cond('InferenceReady', 'True', 'WorkspaceInferenceStatusSuccess', ''),
          succeeded,
        ],
      }),
      { now: NOW },
    );
    expect(r.phase).toBe('Degraded');
  });

  it('benchmark failure on a serving Workspace is Degraded with the opt-out', () => {
    const r = workspaceReadiness(
      ws({
        conditions: [
          resourceReady,
          inferenceReady,
          cond(
            'BenchmarkCompleted',
            'False',
            'BenchmarkFailed',
            'guidellm exited 1',
          ),
          cond(
            'WorkspaceSucceeded',
            'False',
            'BenchmarkFailed',
            'guidellm exited 1',
          ),
        ],
      }),
      { now: NOW },
    );
    expect(r.phase).toBe('Degraded');
    expect(r.reason).toMatch(/kaito.sh\/disable-benchmark/);
  });
});

describe('workspaceReadiness: tuning', () => {
  it('JobStarted (no state) is TuningRunning', () => {
    const r = workspaceReadiness(
      ws({
        tuning: true,
        conditions: [
          resourceReady,
          cond(
            'JobStarted',
            'True',
            'WorkspaceTuningJobStatusStarted',
            'Tuning job has started',
          ),
          cond(
            'WorkspaceSucceeded',
            'False',
            'workspacePending',
            'workspace has not completed yet, tuning job is running',
          ),
        ],
      }),
      { now: NOW },
    );
    expect(r).toMatchObject({ phase: 'TuningRunning', mode: 'tuning' });
    expect(r.steps.map(s => [s.id, s.status])).toEqual([
      ['created', 'done'],
      ['nodes', 'done'],
      ['job', 'done'],
      ['tuning', 'active'],
      ['succeeded', 'pending'],
    ]);
  });

  it('state Running / Succeeded / Failed (v0.9+)', () => {
    expect(
      phaseOf(
        ws({ tuning: true, state: 'Running', conditions: [resourceReady] }),
      ),
    ).toBe('TuningRunning');
    const done = workspaceReadiness(
      ws({
        tuning: true,
        state: 'Succeeded',
        conditions: [resourceReady, succeeded],
      }),
      { now: NOW },
    );
    expect(done.phase).toBe('Succeeded');
    expect(done.reason).toMatch(/pushed to myacr.azurecr.io\/out:1/);
    expect(
      phaseOf(
        ws({
          tuning: true,
          state: 'Failed',
          conditions: [
            resourceReady,
            cond(
              'WorkspaceSucceeded',
              'False',
              'workspaceFailed',
              'tuning job failed',
            ),
          ],
        }),
      ),
    ).toBe('Failed');
  });

  it('workspaceFailed (no state) is Failed; tuning not yet started is Pending', () => {
    const failed = workspaceReadiness(
      ws({
        tuning: true,
        conditions: [
          resourceReady,
          cond(
            'JobStarted',
            'False',
            'WorkspaceTuningJobStatusFailed',
            'tuning job failed',
          ),
          cond(
            'WorkspaceSucceeded',
            'False',
            'workspaceFailed',
            'tuning job failed',
          ),
        ],
      }),
      { now: NOW },
    );
    expect(failed.phase).toBe('Failed');
    expect(failed.reason).toMatch(/tuning job failed/);
    const waiting = cond(
      'WorkspaceSucceeded',
      'False',
      'workspacePending',
      'workspace is initializing, tuning job has not started',
    );
    expect(
      phaseOf(
        ws({
          tuning: true,
          conditions: [
            resourceReady,
            cond('JobStarted', 'False', 'WorkspaceTuningJobStatusPending', ''),
            waiting,
          ],
        }),
      ),
    ).toBe('Pending');
    expect(phaseOf(ws({ tuning: true, conditions: nodesNotReady }))).toBe(
      'ProvisioningNodes',
    );
  });
});

describe('workspaceReadiness: robustness', () => {
  it('throws a clear Error only for non-Workspaces', () => {
    expect(() => workspaceReadiness({ kind: 'Pod' })).toThrow(
      /Not a KAITO Workspace/,
    );
    expect(() => workspaceReadiness(null)).toThrow(/Not a KAITO Workspace/);
  });

  it('tolerates malformed status, pods, node claims and events', () => {
    const messy = {
      ...(ws({}) as object),
      status: {
        conditions: [
          null,
          5,
          { type: 'X' },
          { type: 'ResourceReady', status: 'False' },
        ],
        state: 7,
      },
    };
    const ctx = {
      pods: [null, {}, { metadata: {} }] as unknown as KubePod[],
      nodeClaims: [{} as NodeClaim],
      events: [null as unknown as KubeEvent],
      now: NOW,
    };
    expect(() => workspaceReadiness(messy, ctx)).not.toThrow();
    expect(workspaceReadiness(messy, ctx).phase).toBe('ProvisioningNodes');
  });
});

describe('workspaceReadiness: stale events', () => {
  const pullEvent: KubeEvent = {
    type: 'Warning',
    reason: 'Failed',
    message: 'Failed to pull image "x": ErrImagePull',
    involvedObject: { kind: 'Pod', name: 'workspace-phi-0' },
  };

  it('an old image-pull event does not make a serving Workspace Degraded', () => {
    expect(
      phaseOf(ws({ state: 'Ready', conditions: allReady }), {
        pods: [healthyPod],
        events: [pullEvent],
      }),
    ).toBe('Ready');
  });

  it('the same event counts when no pods were given', () => {
    expect(
      phaseOf(ws({ conditions: [resourceReady, inferencePending, pending] }), {
        events: [pullEvent],
      }),
    ).toBe('Failed');
  });

  it('an old quota event does not fail a Workspace whose nodes are ready', () => {
    const quota: KubeEvent = {
      type: 'Warning',
      reason: 'LaunchFailed',
      message: 'exceeding approved StandardNCADSA100v4Family Cores quota',
    };
    expect(
      phaseOf(
        ws({
          state: 'Pending',
          conditions: [resourceReady, inferencePending, pending],
        }),
        { events: [quota] },
      ),
    ).toBe('StartingInference');
  });
});

describe('workspaceReadiness: every classified InferenceReady reason (v0.12)', () => {
  it.each([
    ['ContainerOOMKilled', 'container was OOMKilled', /out of memory/],
    ['ImagePullError', 'cannot pull image "x"', /cannot be pulled/],
    [
      'ContainerStartError',
      'CreateContainerConfigError: secret "hf-token" not found',
      /cannot start.*create the Secret/,
    ],
    [
      'ContainerCrashLoopBackOff',
      'CrashLoopBackOff; last termination: Error (exit code 1)',
      /keeps crashing/,
    ],
    ['NodeDiskPressure', 'node has disk pressure', /disk or memory pressure/],
    [
      'NodeMemoryPressure',
      'node has memory pressure',
      /disk or memory pressure/,
    ],
    [
      'PodEvicted',
      'The node was low on resource: ephemeral-storage',
      /evicted/,
    ],
    [
      'Unschedulable',
      '0/3 nodes are available: 3 Insufficient nvidia.com/gpu',
      /cannot be scheduled.*labelSelector/,
    ],
    [
      'SASTokenFetchFailed',
      'failed to fetch SAS token',
      /model download failed.*SAS token/,
    ],
    [
      'ModelMirrorCreateFailed',
      'cannot create ModelMirror',
      /model download failed/,
    ],
  ])('%s is Failed with a reason', (reason, message, expected) => {
    const r = workspaceReadiness(
      ws({
        state: 'Pending',
        conditions: [
          resourceReady,
          cond('InferenceReady', 'False', reason, message),
          pending,
        ],
      }),
      { now: NOW },
    );
    expect(r.phase).toBe('Failed');
    expect(r.reason).toMatch(expected);
    expect(r.steps.some(s => s.status === 'failed')).toBe(true);
  });

  it('BYO nodes waiting for device plugins is progress', () => {
    const c = [
      cond(
        'NodesReady',
        'False',
        'NodePluginsNotReady',
        'waiting all node plugins to be ready',
      ),
      cond(
        'ResourceReady',
        'False',
        'NodePluginsNotReady',
        'waiting all node plugins to be ready',
      ),
      pending,
    ];
    expect(phaseOf(ws({ state: 'Pending', conditions: c }))).toBe(
      'ProvisioningNodes',
    );
  });
});

describe('workspaceReadiness: KAITO crash-loop classification (v0.12 states no restart count)', () => {
  const crash = cond(
    'InferenceReady',
    'False',
    'ContainerCrashLoopBackOff',
    'container "workspace-phi" is in CrashLoopBackOff; last termination: exit code 1',
  );
  const crashing = (restartCount: number) =>
    pod('workspace-phi-0', {
      restartCount,
      state: { waiting: { reason: 'CrashLoopBackOff' } },
      lastState: { terminated: { reason: 'Error', exitCode: 1 } },
    });
  const w = () =>
    ws({ state: 'Pending', conditions: [resourceReady, crash, pending] });

  it('an early crash (the pod says 1 restart) is still starting and retrying; a long one is Failed', () => {
    const early = workspaceReadiness(w(), { now: NOW, pods: [crashing(1)] });
    expect(early.phase).toBe('StartingInference');
    expect(early.outcome).toBe('retrying');
    expect(early.attempts).toBe(1);
    const late = workspaceReadiness(w(), { now: NOW, pods: [crashing(6)] });
    expect(late.phase).toBe('Failed');
    expect(late.outcome).toBe('terminal');
    expect(late.attempts).toBe(6);
    expect(late.reason).toMatch(/kubectl logs workspace-phi-0 --previous/);
  });

  it('without pods the careful reading is Failed (KAITO states no count), never progress', () => {
    expect(phaseOf(w())).toBe('Failed');
  });
});

describe('workspaceReadiness: deletion', () => {
  it('says the Workspace is being deleted', () => {
    const r = workspaceReadiness(
      ws({
        state: 'Ready',
        conditions: [
          ...allReady,
          cond(
            'WorkspaceDeleting',
            'True',
            'workspaceDeleted',
            'workspace is being deleted',
          ),
        ],
      }),
      { now: NOW },
    );
    expect(r.reason).toMatch(/being deleted/);
  });
});
