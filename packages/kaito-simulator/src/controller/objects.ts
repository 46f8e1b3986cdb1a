import {
  KAITO_WORKSPACE_LABEL,
  KAITO_WORKSPACE_NAMESPACE_LABEL,
} from '@kaito-backstage/plugin-kaito-common';
import { createHash, randomBytes } from 'node:crypto';
import type { KubeObject, OwnerReference } from '../kube/types';
import { nowIso } from '../kube/types';

/**
 * Builders for the objects KAITO's controller (and the kubelet, scheduler
 * and node provisioner around it) create for a Workspace, with the names,
 * labels and owner references the real ones carry.
 */

export const WORKSPACE_LABEL = KAITO_WORKSPACE_LABEL;
export const WORKSPACE_NAMESPACE_LABEL = KAITO_WORKSPACE_NAMESPACE_LABEL;
export const KAITO_FINALIZER = 'workspace.finalizer.kaito.sh';
export const REVISION_ANNOTATION = 'workspace.kaito.io/revision';
export const HASH_ANNOTATION = 'workspace.kaito.io/hash';
export const BASE_IMAGE = 'mcr.microsoft.com/aks/kaito/kaito-base:0.5.0';
export const INFERENCE_PORT = 5000;

export interface WorkspaceIdentity {
  namespace: string;
  name: string;
  uid: string;
  apiVersion: string;
}

export function ownerRef(ws: WorkspaceIdentity): OwnerReference {
  return {
    apiVersion: ws.apiVersion,
    kind: 'Workspace',
    name: ws.name,
    uid: ws.uid,
    controller: true,
    blockOwnerDeletion: true,
  };
}

export function hex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

export function specHash(obj: KubeObject): string {
  const { resource, inference, tuning } = obj as Record<string, unknown>;
  return createHash('sha256')
    .update(JSON.stringify({ resource, inference, tuning }))
    .digest('hex');
}

function randomIp(prefix: string): string {
  const b = randomBytes(2);
  return `${prefix}.${(b[0] % 250) + 1}.${(b[1] % 250) + 2}`;
}

export function nodeClaim(
  ws: WorkspaceIdentity,
  instanceType: string,
  matchLabels: Record<string, string>,
): KubeObject {
  const reserved =
    /^(kaito\.sh\/|karpenter\.sh\/|kubernetes\.io\/|node\.kubernetes\.io\/)/;
  const userLabels = Object.fromEntries(
    Object.entries(matchLabels).filter(([k]) => !reserved.test(k)),
  );
  const unknown = (type: string) => ({
    type,
    status: 'Unknown',
    reason: 'AwaitingReconciliation',
    message: 'object is awaiting reconciliation',
    lastTransitionTime: nowIso(),
    observedGeneration: 1,
  });
  return {
    apiVersion: 'karpenter.sh/v1',
    kind: 'NodeClaim',
    metadata: {
      name: `ws${hex(5).slice(0, 9)}`,
      labels: {
        ...userLabels,
        [WORKSPACE_LABEL]: ws.name,
        [WORKSPACE_NAMESPACE_LABEL]: ws.namespace,
        'karpenter.sh/nodepool': 'kaito',
        'kaito.sh/creationtimestamp': String(Date.now()),
      },
      annotations: { 'karpenter.sh/do-not-disrupt': 'true' },
    },
    spec: {
      nodeClassRef: {
        group: 'kaito.sh',
        kind: 'KaitoNodeClass',
        name: 'image-family-ubuntu',
      },
      requirements: [
        {
          key: 'node.kubernetes.io/instance-type',
          operator: 'In',
          values: [instanceType],
        },
        { key: 'karpenter.sh/nodepool', operator: 'In', values: ['kaito'] },
        { key: 'kubernetes.io/os', operator: 'In', values: ['linux'] },
      ],
      resources: { requests: { storage: '300Gi' } },
      taints: [{ key: 'sku', value: 'gpu', effect: 'NoSchedule' }],
    },
    status: {
      conditions: ['Launched', 'Registered', 'Initialized', 'Ready'].map(
        unknown,
      ),
    },
  };
}

export function node(
  claim: KubeObject,
  instanceType: string,
  gpus: number,
  ws: WorkspaceIdentity,
): KubeObject {
  const name = `aks-${claim.metadata.name}-${String(
    Math.floor(Math.random() * 9e7) + 1e7,
  )}-vmss000000`;
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: {
        ...(claim.metadata.labels ?? {}),
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'node.kubernetes.io/instance-type': instanceType,
        'kubernetes.azure.com/agentpool': String(claim.metadata.name),
        'karpenter.sh/registered': 'true',
        [WORKSPACE_LABEL]: ws.name,
      },
    },
    spec: {
      providerID: `azure:///subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/mc_kaito/providers/Microsoft.Compute/virtualMachineScaleSets/${name.replace(
        /-vmss000000$/,
        '-vmss',
      )}/virtualMachines/0`,
      taints: [{ key: 'sku', value: 'gpu', effect: 'NoSchedule' }],
    },
    status: {
      capacity: {
        cpu: '24',
        memory: '226Gi',
        'nvidia.com/gpu': String(gpus),
        pods: '110',
      },
      allocatable: {
        cpu: '23660m',
        memory: '210Gi',
        'nvidia.com/gpu': String(gpus),
        pods: '110',
      },
      conditions: [
        {
          type: 'Ready',
          status: 'False',
          reason: 'KubeletNotReady',
          message: 'container runtime network not ready',
          lastHeartbeatTime: nowIso(),
          lastTransitionTime: nowIso(),
        },
      ],
      nodeInfo: {
        kubeletVersion: 'v1.32.6',
        osImage: 'Ubuntu 22.04.5 LTS',
        containerRuntimeVersion: 'containerd://1.7.27-1',
        architecture: 'amd64',
        operatingSystem: 'linux',
      },
    },
  };
}

export function inferenceServices(
  ws: WorkspaceIdentity,
  runtime: 'vllm' | 'transformers',
  statefulSet: boolean,
): KubeObject[] {
  const ports = [
    { name: 'http', protocol: 'TCP', port: 80, targetPort: INFERENCE_PORT },
    { name: 'ray', protocol: 'TCP', port: 6379, targetPort: 6379 },
    { name: 'dashboard', protocol: 'TCP', port: 8265, targetPort: 8265 },
    ...(runtime === 'vllm'
      ? [{ name: 'kv-events', protocol: 'TCP', port: 5557, targetPort: 5557 }]
      : []),
  ];
  const main: KubeObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: ws.name,
      namespace: ws.namespace,
      ownerReferences: [ownerRef(ws)],
      labels: { [WORKSPACE_LABEL]: ws.name },
    },
    spec: {
      type: 'ClusterIP',
      selector: statefulSet
        ? {
            [WORKSPACE_LABEL]: ws.name,
            'statefulset.kubernetes.io/pod-name': `${ws.name}-0`,
          }
        : { [WORKSPACE_LABEL]: ws.name },
      ports,
      publishNotReadyAddresses: true,
    },
  };
  const headless: KubeObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: `${ws.name}-headless`,
      namespace: ws.namespace,
      ownerReferences: [ownerRef(ws)],
      labels: { [WORKSPACE_LABEL]: ws.name },
    },
    spec: {
      clusterIP: 'None',
      selector: { [WORKSPACE_LABEL]: ws.name },
      publishNotReadyAddresses: true,
    },
  };
  return statefulSet ? [main, headless] : [main];
}

export interface ContainerSpecInput {
  ws: WorkspaceIdentity;
  presetName?: string;
  gpus: number;
  adapters: Array<{ name: string; image: string }>;
  modelAccessSecret?: string;
  tuning?: boolean;
}

function podSpec(i: ContainerSpecInput, nodeName?: string) {
  return {
    ...(nodeName ? { nodeName } : {}),
    initContainers: i.adapters.map(a => ({
      name: a.name,
      image: a.image,
      command: [
        '/bin/sh',
        '-c',
        `mkdir -p /mnt/adapter/${a.name} && cp -r /data/* /mnt/adapter/${a.name}`,
      ],
    })),
    containers: [
      {
        name: i.ws.name,
        image: BASE_IMAGE,
        command: i.tuning
          ? ['/bin/sh', '-c', 'accelerate launch fine_tuning.py']
          : [
              '/bin/sh',
              '-c',
              `python3 /workspace/vllm/inference_api.py --model=${
                i.presetName ?? ''
              } --served-model-name=${i.presetName ?? ''}`,
            ],
        ports: i.tuning
          ? []
          : [{ name: 'http', containerPort: INFERENCE_PORT, protocol: 'TCP' }],
        resources: {
          requests: { 'nvidia.com/gpu': String(i.gpus) },
          limits: { 'nvidia.com/gpu': String(i.gpus) },
        },
        ...(i.modelAccessSecret
          ? {
              env: [
                {
                  name: 'HF_TOKEN',
                  valueFrom: {
                    secretKeyRef: {
                      name: i.modelAccessSecret,
                      key: 'HF_TOKEN',
                    },
                  },
                },
              ],
            }
          : {}),
        ...(i.tuning
          ? {}
          : {
              livenessProbe: {
                httpGet: {
                  path: '/health',
                  port: INFERENCE_PORT,
                  scheme: 'HTTP',
                },
                periodSeconds: 10,
              },
              readinessProbe: {
                httpGet: {
                  path: '/health',
                  port: INFERENCE_PORT,
                  scheme: 'HTTP',
                },
                periodSeconds: 10,
              },
            }),
      },
    ],
    tolerations: [
      { key: 'sku', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' },
    ],
    restartPolicy: i.tuning ? 'Never' : 'Always',
  };
}

export function workload(
  i: ContainerSpecInput,
  replicas: number,
  statefulSet: boolean,
): KubeObject {
  const labels = { [WORKSPACE_LABEL]: i.ws.name };
  const common = {
    replicas,
    selector: { matchLabels: labels },
    template: { metadata: { labels }, spec: podSpec(i) },
  };
  return {
    apiVersion: 'apps/v1',
    kind: statefulSet ? 'StatefulSet' : 'Deployment',
    metadata: {
      name: i.ws.name,
      namespace: i.ws.namespace,
      labels,
      annotations: { [REVISION_ANNOTATION]: '1' },
      ownerReferences: [ownerRef(i.ws)],
    },
    spec: statefulSet
      ? {
          ...common,
          serviceName: `${i.ws.name}-headless`,
          podManagementPolicy: 'Parallel',
        }
      : { ...common, strategy: { type: 'RollingUpdate' } },
    status: {
      replicas,
      readyReplicas: 0,
      availableReplicas: 0,
      observedGeneration: 1,
    },
  };
}

export function job(i: ContainerSpecInput): KubeObject {
  const labels = { [WORKSPACE_LABEL]: i.ws.name };
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: i.ws.name,
      namespace: i.ws.namespace,
      labels,
      annotations: { [REVISION_ANNOTATION]: '1' },
      ownerReferences: [ownerRef(i.ws)],
    },
    spec: {
      backoffLimit: 6,
      completions: 1,
      parallelism: 1,
      template: { metadata: { labels }, spec: podSpec(i) },
    },
    status: {},
  };
}

export function pod(
  i: ContainerSpecInput,
  owner: KubeObject,
  name: string,
  extraLabels: Record<string, string>,
  nodeName: string,
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: i.ws.namespace,
      labels: { [WORKSPACE_LABEL]: i.ws.name, ...extraLabels },
      ownerReferences: [
        {
          apiVersion: String(owner.apiVersion),
          kind: String(owner.kind),
          name: String(owner.metadata.name),
          uid: String(owner.metadata.uid),
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: podSpec(i, nodeName),
    status: {
      phase: 'Pending',
      conditions: [
        { type: 'PodScheduled', status: 'True', lastTransitionTime: nowIso() },
      ],
      hostIP: randomIp('10.224'),
      podIP: randomIp('10.244'),
      qosClass: 'BestEffort',
      startTime: nowIso(),
      ...(i.adapters.length
        ? {
            initContainerStatuses: i.adapters.map(a => ({
              name: a.name,
              image: a.image,
              imageID: '',
              ready: false,
              restartCount: 0,
              started: false,
              state: { waiting: { reason: 'PodInitializing' } },
            })),
          }
        : {}),
      containerStatuses: [
        {
          name: i.ws.name,
          image: BASE_IMAGE,
          imageID: '',
          ready: false,
          restartCount: 0,
          started: false,
          state: {
            waiting: {
              reason: i.adapters.length
                ? 'PodInitializing'
                : 'ContainerCreating',
            },
          },
        },
      ],
    },
  };
}

export interface EventInput {
  involved: KubeObject;
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
  component: string;
  host?: string;
}

export function event(e: EventInput): KubeObject {
  const m = e.involved.metadata;
  const t = nowIso();
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: {
      name: `${m.name}.${hex(8)}`,
      namespace: m.namespace ?? 'default',
    },
    involvedObject: {
      kind: e.involved.kind,
      namespace: m.namespace,
      name: m.name,
      uid: m.uid,
      apiVersion: e.involved.apiVersion,
      resourceVersion: m.resourceVersion,
    },
    reason: e.reason,
    message: e.message,
    source: { component: e.component, ...(e.host ? { host: e.host } : {}) },
    firstTimestamp: t,
    lastTimestamp: t,
    count: 1,
    type: e.type,
    eventTime: null,
    reportingComponent: e.component,
    reportingInstance: e.host ?? '',
  };
}
