import type { Entity } from '@backstage/catalog-model';
import type {
  ReadinessStep,
  WorkspaceReadiness,
  WorkspaceSnapshot,
} from '@kaito-backstage/plugin-kaito-common';

export const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: 'phi-4-mini',
    namespace: 'default',
    title: 'Phi-4 mini',
    annotations: {
      'kaito.sh/workspace': 'kaito-demo/phi-4-mini',
      'kaito.sh/cluster': 'kaito-simulator',
    },
  },
  spec: { type: 'kaito-workspace', owner: 'group:default/ml-platform' },
};

export function withAnnotations(annotations: Record<string, string>): Entity {
  return { ...entity, metadata: { ...entity.metadata, annotations } };
}

const T0 = Date.parse('2026-01-01T10:00:00Z');
const at = (s: number) => new Date(T0 + s * 1000).toISOString();

/** The inference timeline with `active` as the current step (all before it done). */
export function inferenceSteps(
  active: string,
  status: ReadinessStep['status'] = 'active',
): ReadinessStep[] {
  const ids = ['created', 'nodes', 'weights', 'inference', 'ready'];
  const titles: Record<string, string> = {
    created: 'Workspace created',
    nodes: 'Provision 1 × Standard_NC24ads_A100_v4',
    weights: 'Pull image and download weights',
    inference: 'Start inference server',
    ready: 'Ready for chat',
  };
  const index = ids.indexOf(active);
  return ids.map((id, i): ReadinessStep => {
    let s: ReadinessStep['status'] = 'pending';
    if (i < index) s = 'done';
    else if (i === index) s = status;
    return {
      id,
      title: titles[id],
      status: s,
      ...(i < index || (i === index && s === 'done') ? { at: at(i * 60) } : {}),
    };
  });
}

export function readiness(
  over: Partial<WorkspaceReadiness> = {},
): WorkspaceReadiness {
  return {
    phase: 'ProvisioningNodes',
    reason:
      'Provisioning 1 × Standard_NC24ads_A100_v4; GPU nodes usually take 5–15 minutes.',
    steps: inferenceSteps('nodes'),
    conditions: [
      {
        type: 'ResourceReady',
        status: 'False',
        reason: 'NodeClaimNotReady',
        message: 'nodeClaim ws-abc12 is not ready',
        lastTransitionTime: at(0),
      },
    ],
    mode: 'inference',
    targetNodeCount: 1,
    instanceType: 'Standard_NC24ads_A100_v4',
    model: 'phi-4-mini-instruct',
    runtime: 'vllm',
    ...over,
  };
}

export function snapshot(
  over: Partial<WorkspaceSnapshot> = {},
  r: Partial<WorkspaceReadiness> = {},
): WorkspaceSnapshot {
  return {
    cluster: 'kaito-simulator',
    namespace: 'kaito-demo',
    name: 'phi-4-mini',
    status: 'found',
    observedAt: at(600),
    readiness: readiness(r),
    workspace: {
      apiVersion: 'kaito.sh/v1beta1',
      createdAt: at(0),
      preset: 'phi-4-mini-instruct',
      instanceType: 'Standard_NC24ads_A100_v4',
      runtime: 'vllm',
      targetNodeCount: 1,
      deleting: false,
    },
    ...over,
  };
}
