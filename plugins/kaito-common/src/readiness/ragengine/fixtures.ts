import type {
  ContainerStatus,
  KubeCondition,
  KubeEvent,
  KubePod,
  NodeClaim,
} from '../../types/kube';
import type { RAGEngine } from '../../types/ragengine';
import type { RagEngineFailureKind, RagEnginePhase } from './types';
import type { ReadinessOutcome } from '../types';

/*
 * RAGEngine statuses as the KAITO RAGEngine controller writes them, each with
 * the one verdict it must get. Written from the controller's condition writes
 * (kaito-project/kaito@056b8280 pkg/ragengine/controllers/ragengine_controller.go
 * and ragengine_status.go, api/v1beta1/condition_types.go, pkg/utils/nodeclaim
 * and pkg/utils/resources for the error texts; v0.6.0 for the v1alpha1 era's
 * "creating N nodeClaims"), not copied. Each `engine` validates against the
 * CRD schema of its apiVersion (../shared/reference/kaito/crds/kaito.sh_ragengines.yaml).
 */

/** One expected verdict. */
export interface RagExpectedVerdict {
  phase: RagEnginePhase;
  outcome: ReadinessOutcome;
  cause?: RagEngineFailureKind;
  reason: RegExp;
  /** Steps as `id:status` words, in order, e.g. `resources:done nodes:active service:pending ready:pending`. */
  steps: string;
  canChat: boolean;
  /** KAITO's (or the kubelet's) own words must contain this. */
  kaitoMessage?: string;
  /** The fix must match; `true`: a fix must exist; `false`: none may. */
  fix?: RegExp | boolean;
  attempts?: number;
  slow?: boolean;
}

export interface RagReadinessFixture {
  id: string;
  engine: RAGEngine;
  pods?: KubePod[];
  nodeClaims?: NodeClaim[];
  events?: KubeEvent[];
  now: string;
  expect: RagExpectedVerdict;
}

const T0 = Date.parse('2026-12-02T10:00:00Z');
/** `T0` plus seconds, ISO 8601 without milliseconds (as the API server writes). */
export function at(seconds: number): string {
  return new Date(T0 + seconds * 1000).toISOString().replace('.000Z', 'Z');
}

/** A condition as metav1.Condition (every field the CRD requires). */
export function cond(
  type: string,
  status: 'True' | 'False' | 'Unknown',
  reason: string,
  message: string,
  seconds: number,
  observedGeneration = 1,
): KubeCondition {
  return {
    type,
    status,
    reason,
    message,
    lastTransitionTime: at(seconds),
    observedGeneration,
  };
}

const NAME = 'ragengine-docs';
const INSTANCE = 'Standard_NC4as_T4_v3';
const CHAT_URL = 'http://workspace-phi-4-mini/v1/chat/completions';

/** The happy path's conditions, in the order the controller writes them. */
export const C = {
  nodeClaimPending: cond(
    'NodeClaimReady',
    'Unknown',
    'CreateNodeClaimPending',
    'creating 1 nodeClaim',
    5,
  ),
  nodeClaimReady: cond(
    'NodeClaimReady',
    'True',
    'installNodePluginsSuccess',
    'nodeClaim plugins have been installed successfully',
    420,
  ),
  resourceReady: (s: number) =>
    cond(
      'ResourceReady',
      'True',
      'ragengineResourceStatusSuccess',
      'ragengine resource is ready',
      s,
    ),
  serviceReady: (s: number, g = 1) =>
    cond(
      'ServiceReady',
      'True',
      'RAGEngineServiceSuccess',
      'Inference has been deployed successfully',
      s,
      g,
    ),
  serviceFailed: (message: string, s: number, g = 1) =>
    cond(
      'RAGEngineServiceReady',
      'False',
      'RAGEngineServiceStatusFailed',
      message,
      s,
      g,
    ),
  succeeded: (s: number, g = 1) =>
    cond(
      'RAGEngineSucceeded',
      'True',
      'ragengineSucceeded',
      'ragengine succeeds',
      s,
      g,
    ),
  failed: (message: string, s: number, g = 1, reason = 'ragengineFailed') =>
    cond('RAGEngineSucceeded', 'False', reason, message, s, g),
  resourceFailed: (message: string, s: number) =>
    cond('ResourceReady', 'False', 'ragengineResourceStatusFailed', message, s),
  deleting: (s: number) =>
    cond(
      'RAGEngineDeleting',
      'True',
      'ragengineDeleted',
      'ragengine is being deleted',
      s,
    ),
};

type Spec = RAGEngine['spec'];

/** GPU compute for a local embedding model, chat through a Workspace. */
const SPEC_COMPUTE: Spec = {
  compute: {
    instanceType: INSTANCE,
    labelSelector: { matchLabels: { apps: NAME } },
  },
  embedding: { local: { modelID: 'BAAI/bge-small-en-v1.5' } },
  inferenceService: { url: CHAT_URL, contextWindowSize: 4096 },
};

/** No compute: a remote embedding service, chat through a Workspace. */
const SPEC_REMOTE: Spec = {
  embedding: {
    remote: {
      url: 'https://api.openai.com/v1/embeddings',
      accessSecret: 'openai-key',
    },
  },
  inferenceService: { url: CHAT_URL, contextWindowSize: 4096 },
};

/** Retrieve-only: no inferenceService. */
const SPEC_RETRIEVE: Spec = {
  embedding: { local: { modelID: 'BAAI/bge-small-en-v1.5' } },
  storage: {
    vectorDB: { engine: 'qdrant', url: 'http://qdrant.rag.svc:6333' },
  },
};

function engine(
  spec: Spec,
  conditions: KubeCondition[] | undefined,
  extra: {
    apiVersion?: RAGEngine['apiVersion'];
    generation?: number;
    deletionTimestamp?: string;
    workerNodes?: string[];
  } = {},
): RAGEngine {
  return {
    apiVersion: extra.apiVersion ?? 'kaito.sh/v1beta1',
    kind: 'RAGEngine',
    metadata: {
      name: NAME,
      namespace: 'docs',
      generation: extra.generation ?? 1,
      creationTimestamp: at(0),
      ...(extra.deletionTimestamp
        ? { deletionTimestamp: extra.deletionTimestamp }
        : {}),
    },
    spec,
    ...(conditions
      ? {
          status: {
            conditions,
            ...(extra.workerNodes ? { workerNodes: extra.workerNodes } : {}),
          },
        }
      : {}),
  };
}

function pod(
  containers: ContainerStatus[],
  extra: Partial<NonNullable<KubePod['status']>> = {},
): KubePod {
  const ready = containers.length > 0 && containers.every(c => c.ready);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${NAME}-6f7d9c8b5-x2x7k`,
      namespace: 'docs',
      labels: { 'kaito.sh/ragengine': NAME },
    },
    status: {
      phase: 'Running',
      startTime: at(600),
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
      containerStatuses: containers,
      ...extra,
    },
  };
}

const RUNNING_READY: ContainerStatus = {
  name: NAME,
  ready: true,
  started: true,
  restartCount: 0,
  state: { running: { startedAt: at(620) } },
};

const crashing = (restartCount: number): ContainerStatus => ({
  name: NAME,
  ready: false,
  started: false,
  restartCount,
  state: {
    waiting: {
      reason: 'CrashLoopBackOff',
      message: `back-off 40s restarting failed container=${NAME} pod=${NAME}-6f7d9c8b5-x2x7k`,
    },
  },
  lastState: {
    terminated: {
      reason: 'Error',
      exitCode: 1,
      message:
        'ValueError: Unable to connect to vector DB at http://qdrant.rag.svc:6333',
      finishedAt: at(700),
    },
  },
});

const NODE_TIMEOUT =
  'check nodeClaim status timed out. nodeClaim ragengine-docs-7xk2p is not ready';
const QUOTA_LAUNCH =
  'creating instance, insufficient capacity, Operation could not be completed as it results in exceeding approved standardNCASv3_T4Family Cores quota. Location: westeurope, Current Limit: 0, Current Usage: 0, Additional Required: 4.';
const NOT_PROGRESSING = `deployment ${NAME} is not progressing: ReplicaSet "${NAME}-6f7d9c8b5" has timed out progressing.`;

const HAPPY = 'resources:done nodes:done service:done ready:done';
const HAPPY_NO_NODES = 'resources:done service:done ready:done';

export const RAG_READINESS_FIXTURES: RagReadinessFixture[] = [
  // --- The happy path with compute, in order ---------------------------------------------
  {
    id: 'compute 1 created, not reconciled yet',
    engine: engine(SPEC_COMPUTE, undefined),
    now: at(20),
    expect: {
      phase: 'Pending',
      outcome: 'progress',
      reason: /^Waiting for the KAITO RAGEngine controller/,
      steps: 'resources:active nodes:pending service:pending ready:pending',
      canChat: true,
      fix: false,
      slow: false,
    },
  },
  {
    id: 'compute 2 creating the NodeClaim',
    engine: engine(SPEC_COMPUTE, [C.nodeClaimPending]),
    now: at(120),
    expect: {
      phase: 'ProvisioningNodes',
      outcome: 'progress',
      reason: /provisioning a Standard_NC4as_T4_v3 node.*5 to 15 minutes/,
      steps: 'resources:done nodes:active service:pending ready:pending',
      canChat: true,
      kaitoMessage: 'creating 1 nodeClaim',
      slow: false,
    },
  },
  {
    id: 'compute 3 node up, plugins installed',
    engine: engine(SPEC_COMPUTE, [C.nodeClaimReady]),
    now: at(425),
    expect: {
      phase: 'ProvisioningNodes',
      outcome: 'progress',
      reason: /node is up/,
      steps: 'resources:done nodes:active service:pending ready:pending',
      canChat: true,
      kaitoMessage: 'nodeClaim plugins have been installed successfully',
    },
  },
  {
    id: 'compute 4 resource ready, pulling the image',
    engine: engine(SPEC_COMPUTE, [C.nodeClaimReady, C.resourceReady(421)], {
      workerNodes: ['aks-ragengine-docs-12345678-vmss000000'],
    }),
    pods: [
      pod(
        [
          {
            name: NAME,
            ready: false,
            restartCount: 0,
            state: { waiting: { reason: 'ContainerCreating' } },
          },
        ],
        { phase: 'Pending' },
      ),
    ],
    now: at(480),
    expect: {
      phase: 'StartingService',
      outcome: 'progress',
      reason: /pulling its image/,
      steps: 'resources:done nodes:done service:active ready:pending',
      canChat: true,
      slow: false,
    },
  },
  {
    id: 'compute 5 service deployed, summary not yet written',
    engine: engine(SPEC_COMPUTE, [
      C.nodeClaimReady,
      C.resourceReady(421),
      C.serviceReady(700),
    ]),
    pods: [pod([RUNNING_READY])],
    now: at(701),
    expect: {
      phase: 'StartingService',
      outcome: 'progress',
      reason: /service is up; KAITO is finishing/,
      steps: 'resources:done nodes:done service:active ready:pending',
      canChat: true,
    },
  },
  {
    id: 'compute 6 ready',
    engine: engine(SPEC_COMPUTE, [
      C.nodeClaimReady,
      C.resourceReady(421),
      C.serviceReady(700),
      C.succeeded(700),
    ]),
    pods: [pod([RUNNING_READY])],
    now: at(900),
    expect: {
      phase: 'Ready',
      outcome: 'ready',
      reason:
        /^Ready for retrieval and chat, with answers from workspace-phi-4-mini\.$/,
      steps: HAPPY,
      canChat: true,
      fix: false,
    },
  },
  {
    id: 'compute provisioning slower than typical',
    engine: engine(SPEC_COMPUTE, [C.nodeClaimPending]),
    now: at(5 + 20 * 60),
    expect: {
      phase: 'ProvisioningNodes',
      outcome: 'progress',
      reason: /provisioning a Standard_NC4as_T4_v3 node/,
      steps: 'resources:done nodes:active service:pending ready:pending',
      canChat: true,
      slow: true,
    },
  },

  // --- No compute (remote embedding): ResourceReady at once, no Nodes step ----------------
  {
    id: 'no compute 1 resource ready at once, container starting',
    engine: engine(SPEC_REMOTE, [C.resourceReady(2)]),
    pods: [
      pod([
        {
          name: NAME,
          ready: false,
          started: false,
          restartCount: 0,
          state: { running: { startedAt: at(30) } },
        },
      ]),
    ],
    now: at(60),
    expect: {
      phase: 'StartingService',
      outcome: 'progress',
      reason: /^The RAG engine container is starting\.$/,
      steps: 'resources:done service:active ready:pending',
      canChat: true,
      slow: false,
    },
  },
  {
    id: 'no compute 2 ready',
    engine: engine(SPEC_REMOTE, [
      C.resourceReady(2),
      C.serviceReady(45),
      C.succeeded(45),
    ]),
    now: at(60),
    expect: {
      phase: 'Ready',
      outcome: 'ready',
      reason: /^Ready for retrieval and chat/,
      steps: HAPPY_NO_NODES,
      canChat: true,
    },
  },
  {
    id: 'no compute, KAITO silent for ten minutes',
    engine: engine(SPEC_REMOTE, []),
    now: at(600),
    expect: {
      phase: 'Pending',
      outcome: 'progress',
      reason:
        /not reconciled the RAGEngine in 10 minutes; check that the KAITO RAGEngine controller/,
      steps: 'resources:active service:pending ready:pending',
      canChat: true,
      slow: true,
    },
  },

  {
    id: 'no compute: a quota event left from an earlier compute spec is ignored',
    engine: engine(SPEC_REMOTE, [], { generation: 2 }),
    events: [
      {
        type: 'Warning',
        reason: 'LaunchFailed',
        message: QUOTA_LAUNCH,
        lastTimestamp: at(1),
        involvedObject: { kind: 'NodeClaim', name: 'ragengine-docs-7xk2p' },
      },
    ],
    now: at(30),
    expect: {
      phase: 'Pending',
      outcome: 'progress',
      reason: /^Waiting for the KAITO RAGEngine controller/,
      steps: 'resources:active service:pending ready:pending',
      canChat: true,
    },
  },

  // --- Retrieve-only ------------------------------------------------------------------------
  {
    id: 'retrieve-only ready (no inferenceService)',
    engine: engine(SPEC_RETRIEVE, [
      C.resourceReady(2),
      C.serviceReady(90),
      C.succeeded(90),
    ]),
    now: at(100),
    expect: {
      phase: 'Ready',
      outcome: 'ready',
      reason: /^Ready for retrieval; chat needs spec\.inferenceService \(/,
      steps: 'resources:done service:done ready:done',
      canChat: false,
      kaitoMessage: 'ragengine succeeds',
    },
  },
  {
    id: 'retrieve-only ready (inferenceService without url, v1beta1)',
    engine: engine(
      {
        ...SPEC_RETRIEVE,
        inferenceService: {
          contextWindowSize: 4096,
        } as Spec['inferenceService'],
      },
      [C.resourceReady(2), C.serviceReady(90), C.succeeded(90)],
    ),
    now: at(100),
    expect: {
      phase: 'Ready',
      outcome: 'ready',
      reason: /^Ready for retrieval; chat needs spec\.inferenceService\.url/,
      steps: 'resources:done service:done ready:done',
      canChat: false,
    },
  },

  // --- Node failures ----------------------------------------------------------------------
  {
    id: 'nodeClaimFailedCreation',
    engine: engine(SPEC_COMPUTE, [
      cond(
        'NodeClaimReady',
        'False',
        'nodeClaimFailedCreation',
        'admission webhook "validation.webhook.karpenter.sh" denied the request: invalid value: spec.requirements',
        8,
      ),
      C.resourceFailed(
        'admission webhook "validation.webhook.karpenter.sh" denied the request: invalid value: spec.requirements',
        8,
      ),
      C.failed(
        'admission webhook "validation.webhook.karpenter.sh" denied the request: invalid value: spec.requirements',
        8,
      ),
    ]),
    now: at(60),
    expect: {
      phase: 'Failed',
      outcome: 'terminal',
      cause: 'provisioning',
      reason: /^GPU node provisioning failed \(admission webhook/,
      steps: 'resources:done nodes:failed service:pending ready:pending',
      canChat: true,
      kaitoMessage: 'denied the request',
      fix: /node provisioner's permissions/,
    },
  },
  {
    id: 'checkNodeClaimStatusFailed: timed out (KAITO retries)',
    engine: engine(SPEC_COMPUTE, [
      cond(
        'NodeClaimReady',
        'False',
        'checkNodeClaimStatusFailed',
        NODE_TIMEOUT,
        1205,
      ),
      C.resourceFailed(NODE_TIMEOUT, 1205),
      C.failed(NODE_TIMEOUT, 1205),
    ]),
    now: at(1300),
    expect: {
      phase: 'Failed',
      outcome: 'retrying',
      cause: 'provisioning',
      reason:
        /^A GPU node launch failed and the node provisioner is retrying \(check nodeClaim status timed out/,
      steps: 'resources:done nodes:failed service:pending ready:pending',
      canChat: true,
      kaitoMessage: NODE_TIMEOUT,
      fix: false,
    },
  },
  {
    id: 'checkNodeClaimStatusFailed: instance types unavailable (terminal)',
    engine: engine(SPEC_COMPUTE, [
      cond(
        'NodeClaimReady',
        'False',
        'checkNodeClaimStatusFailed',
        'all requested instance types were unavailable during launch',
        300,
      ),
      C.resourceFailed(
        'all requested instance types were unavailable during launch',
        300,
      ),
      C.failed(
        'all requested instance types were unavailable during launch',
        300,
      ),
    ]),
    now: at(400),
    expect: {
      phase: 'Failed',
      outcome: 'terminal',
      cause: 'provisioning',
      reason:
        /^GPU node provisioning failed \(all requested instance types were unavailable/,
      steps: 'resources:done nodes:failed service:pending ready:pending',
      canChat: true,
      fix: /choose another instance type/,
    },
  },
  {
    id: 'quota on the NodeClaim (KAITO only says timed out)',
    engine: engine(SPEC_COMPUTE, [
      cond(
        'NodeClaimReady',
        'False',
        'checkNodeClaimStatusFailed',
        NODE_TIMEOUT,
        1205,
      ),
      C.resourceFailed(NODE_TIMEOUT, 1205),
      C.failed(NODE_TIMEOUT, 1205),
    ]),
    nodeClaims: [
      {
        apiVersion: 'karpenter.sh/v1',
        kind: 'NodeClaim',
        metadata: {
          name: 'ragengine-docs-7xk2p',
          labels: { 'kaito.sh/ragengine': NAME },
        },
        status: {
          conditions: [
            cond('Launched', 'Unknown', 'LaunchFailed', QUOTA_LAUNCH, 30),
          ],
        },
      },
    ],
    now: at(1300),
    expect: {
      phase: 'Failed',
      outcome: 'terminal',
      cause: 'quota',
      reason:
        /^GPU nodes cannot be created because the Azure quota is exhausted/,
      steps: 'resources:done nodes:failed service:pending ready:pending',
      canChat: true,
      kaitoMessage: NODE_TIMEOUT,
      fix: /request more quota for the Standard NCASv3_T4 Family family/,
    },
  },
  {
    id: 'quota from a Warning event (no NodeClaims given)',
    engine: engine(SPEC_COMPUTE, [C.nodeClaimPending]),
    events: [
      {
        type: 'Warning',
        reason: 'LaunchFailed',
        message: QUOTA_LAUNCH,
        count: 3,
        lastTimestamp: at(90),
        involvedObject: { kind: 'NodeClaim', name: 'ragengine-docs-7xk2p' },
      },
    ],
    now: at(120),
    expect: {
      phase: 'Failed',
      outcome: 'terminal',
      cause: 'quota',
      reason: /Azure quota is exhausted/,
      steps: 'resources:done nodes:failed service:pending ready:pending',
      canChat: true,
      kaitoMessage: 'exceeding approved standardNCASv3_T4Family',
      fix: /request more quota/,
    },
  },
  {
    id: 'resource: node plugin installation timed out (KAITO retries)',
    engine: engine(SPEC_COMPUTE, [
      C.nodeClaimPending,
      C.resourceFailed(
        'node plugin installation timed out. node aks-ragengine-docs-12345678-vmss000000 is not ready',
        600,
      ),
      C.failed(
        'node plugin installation timed out. node aks-ragengine-docs-12345678-vmss000000 is not ready',
        600,
      ),
    ]),
    now: at(660),
    expect: {
      phase: 'Failed',
      outcome: 'retrying',
      cause: 'resource',
      reason:
        /^KAITO cannot prepare the RAGEngine's node \(node plugin installation timed out.*; KAITO retries on its own, and if it persists check that spec\.compute\.labelSelector/,
      steps: 'resources:done nodes:failed service:pending ready:pending',
      canChat: true,
      kaitoMessage: 'node plugin installation timed out',
    },
  },
  {
    id: 'resource: status update forbidden (terminal)',
    engine: engine(SPEC_COMPUTE, [
      C.nodeClaimReady,
      C.resourceFailed(
        'ragengines.kaito.sh "ragengine-docs" is forbidden: User "system:serviceaccount:kaito-ragengine:ragengine" cannot update resource "ragengines/status"',
        430,
      ),
      C.failed(
        'ragengines.kaito.sh "ragengine-docs" is forbidden: User "system:serviceaccount:kaito-ragengine:ragengine" cannot update resource "ragengines/status"',
        430,
      ),
    ]),
    now: at(500),
    expect: {
      phase: 'Failed',
      outcome: 'terminal',
      cause: 'resource',
      reason:
        /^KAITO cannot prepare the RAGEngine's node \(ragengines\.kaito\.sh/,
      steps: 'resources:done nodes:failed service:pending ready:pending',
      canChat: true,
      fix: true,
    },
  },

  // --- Service failures -------------------------------------------------------------------
  {
    id: 'service: KAITO 10-minute wait expired (retrying)',
    engine: engine(SPEC_REMOTE, [
      C.resourceReady(2),
      C.serviceFailed('context deadline exceeded', 602),
      C.failed('context deadline exceeded', 602),
    ]),
    now: at(620),
    expect: {
      phase: 'Failed',
      outcome: 'retrying',
      cause: 'service',
      reason:
        /^The RAG engine Deployment ragengine-docs did not become ready within KAITO's 10-minute wait; KAITO retries on its own/,
      steps: 'resources:done service:failed ready:pending',
      canChat: true,
      kaitoMessage: 'context deadline exceeded',
    },
  },
  {
    id: 'service: Deployment not progressing (terminal)',
    engine: engine(SPEC_REMOTE, [
      C.resourceReady(2),
      C.serviceFailed(NOT_PROGRESSING, 602),
      C.failed(NOT_PROGRESSING, 602),
    ]),
    now: at(620),
    expect: {
      phase: 'Failed',
      outcome: 'terminal',
      cause: 'service',
      reason:
        /^The RAG engine Deployment is not progressing \(deployment ragengine-docs is not progressing/,
      steps: 'resources:done service:failed ready:pending',
      canChat: true,
      kaitoMessage: 'has timed out progressing',
      fix: /kubectl describe pod -l kaito\.sh\/ragengine=ragengine-docs/,
    },
  },
  {
    id: 'service: the Service cannot be created (ensureService, ragEngineFailed)',
    engine: engine(SPEC_REMOTE, [
      C.resourceReady(2),
      C.failed(
        'Service "ragengine-docs" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated',
        3,
        1,
        'ragEngineFailed',
      ),
    ]),
    now: at(60),
    expect: {
      phase: 'Failed',
      outcome: 'terminal',
      cause: 'service',
      reason:
        /^KAITO cannot create the Service ragengine-docs \(Service "ragengine-docs" is invalid/,
      steps: 'resources:done service:failed ready:pending',
      canChat: true,
      kaitoMessage: 'provided port is already allocated',
      fix: true,
    },
  },

  // --- Pods ----------------------------------------------------------------------------------
  {
    id: 'pods: crash loop while KAITO waits',
    engine: engine(SPEC_RETRIEVE, [C.resourceReady(2)]),
    pods: [pod([crashing(6)])],
    now: at(720),
    expect: {
      phase: 'Failed',
      outcome: 'terminal',
      cause: 'crashLoop',
      reason:
        /^The RAG engine container keeps crashing \(6 restarts so far\) \(Error: ValueError: Unable to connect to vector DB/,
      steps: 'resources:done service:failed ready:pending',
      canChat: false,
      kaitoMessage: 'Unable to connect to vector DB',
      fix: /kubectl logs ragengine-docs-6f7d9c8b5-x2x7k --previous/,
      attempts: 6,
    },
  },
  {
    id: 'pods: first crash (Kubernetes restarts it)',
    engine: engine(SPEC_RETRIEVE, [C.resourceReady(2)]),
    pods: [pod([crashing(1)])],
    now: at(720),
    expect: {
      phase: 'Failed',
      outcome: 'retrying',
      cause: 'crashLoop',
      reason:
        /^The RAG engine container crashed \(exit code 1\) and Kubernetes is restarting it \(attempt 2\); it counts as failed after 3 restarts\.$/,
      steps: 'resources:done service:failed ready:pending',
      canChat: false,
      fix: false,
      attempts: 1,
    },
  },
  {
    id: 'pods: crash loop after KAITO said ready',
    engine: engine(SPEC_COMPUTE, [
      C.nodeClaimReady,
      C.resourceReady(421),
      C.serviceReady(700),
      C.succeeded(700),
    ]),
    pods: [pod([crashing(4)])],
    now: at(900),
    expect: {
      phase: 'Failed',
      outcome: 'terminal',
      cause: 'crashLoop',
      reason:
        /^KAITO last reported the RAGEngine ready, but the RAG engine container keeps crashing \(4 restarts so far\)/,
      steps: 'resources:done nodes:done service:failed ready:pending',
      canChat: true,
      attempts: 4,
    },
  },
  {
    id: 'pods: image pull',
    engine: engine(
      {
        ...SPEC_REMOTE,
        embedding: {
          local: {
            image: 'myregistry.azurecr.io/embeddings/bge:1.0',
            imagePullSecret: 'acr-pull',
          },
        },
      },
      [C.resourceReady(2)],
    ),
    pods: [
      pod(
        [
          {
            name: NAME,
            ready: false,
            restartCount: 0,
            state: {
              waiting: {
                reason: 'ImagePullBackOff',
                message:
                  'Back-off pulling image "myregistry.azurecr.io/embeddings/bge:1.0"',
              },
            },
          },
        ],
        { phase: 'Pending' },
      ),
    ],
    now: at(300),
    expect: {
      phase: 'Failed',
      outcome: 'terminal',
      cause: 'imagePull',
      reason:
        /^The RAG engine image cannot be pulled \(ImagePullBackOff: Back-off pulling image/,
      steps: 'resources:done service:failed ready:pending',
      canChat: true,
      kaitoMessage: 'Back-off pulling image',
      fix: /spec\.embedding\.local\.imagePullSecret/,
    },
  },
  {
    id: 'pods: unschedulable (Kubernetes retries)',
    engine: engine(SPEC_REMOTE, [C.resourceReady(2)]),
    pods: [
      pod([], {
        phase: 'Pending',
        conditions: [
          {
            type: 'PodScheduled',
            status: 'False',
            reason: 'Unschedulable',
            message: '0/3 nodes are available: 3 Insufficient cpu.',
          },
        ],
      }),
    ],
    now: at(120),
    expect: {
      phase: 'Failed',
      outcome: 'retrying',
      cause: 'unschedulable',
      reason:
        /^The RAG engine pod cannot be scheduled \(0\/3 nodes are available: 3 Insufficient cpu\.\); Kubernetes retries on its own, and if it persists make room/,
      steps: 'resources:done service:failed ready:pending',
      canChat: true,
      kaitoMessage: 'Insufficient cpu',
    },
  },

  // --- The inconsistent ServiceReady / RAGEngineServiceReady pair --------------------------
  {
    id: 'pair: stale success, newer failure (lastTransitionTime)',
    engine: engine(SPEC_REMOTE, [
      C.resourceReady(2),
      C.serviceReady(45),
      C.serviceFailed(NOT_PROGRESSING, 3000),
      C.failed(NOT_PROGRESSING, 3000),
    ]),
    now: at(3100),
    expect: {
      phase: 'Failed',
      outcome: 'terminal',
      cause: 'service',
      reason: /^The RAG engine Deployment is not progressing/,
      steps: 'resources:done service:failed ready:pending',
      canChat: true,
      kaitoMessage: 'is not progressing',
    },
  },
  {
    id: 'pair: stale failure, newer success',
    engine: engine(SPEC_REMOTE, [
      C.resourceReady(2),
      C.serviceFailed('context deadline exceeded', 602),
      C.serviceReady(900),
      C.succeeded(900),
    ]),
    now: at(1000),
    expect: {
      phase: 'Ready',
      outcome: 'ready',
      reason: /^Ready for retrieval and chat/,
      steps: HAPPY_NO_NODES,
      canChat: true,
    },
  },
  {
    id: 'pair: failure of a newer generation kept its old lastTransitionTime',
    engine: engine(
      SPEC_REMOTE,
      [
        C.resourceReady(2),
        // False since 602 (generation 1); rewritten for generation 2 without a transition.
        C.serviceFailed(NOT_PROGRESSING, 602, 2),
        C.serviceReady(900, 1),
        C.failed(NOT_PROGRESSING, 5000, 2),
      ],
      { generation: 2 },
    ),
    now: at(5100),
    expect: {
      phase: 'Failed',
      outcome: 'terminal',
      cause: 'service',
      reason: /^The RAG engine Deployment is not progressing/,
      steps: 'resources:done service:failed ready:pending',
      canChat: true,
    },
  },
  {
    id: 'pair: success, failure, success again (ServiceReady kept its first time)',
    engine: engine(SPEC_REMOTE, [
      C.resourceReady(2),
      C.serviceReady(45),
      C.serviceFailed('context deadline exceeded', 3000),
      C.succeeded(4000),
    ]),
    now: at(4100),
    expect: {
      phase: 'Ready',
      outcome: 'ready',
      reason: /^Ready for retrieval and chat/,
      steps: HAPPY_NO_NODES,
      canChat: true,
    },
  },
  {
    id: 'pair: failure, success, failure again (RAGEngineServiceReady kept its first time)',
    engine: engine(SPEC_REMOTE, [
      C.resourceReady(2),
      C.serviceFailed(NOT_PROGRESSING, 602),
      C.serviceReady(900),
      C.failed(NOT_PROGRESSING, 5000),
    ]),
    now: at(5100),
    expect: {
      phase: 'Failed',
      outcome: 'terminal',
      cause: 'service',
      reason: /not progressing/,
      steps: 'resources:done service:failed ready:pending',
      canChat: true,
    },
  },
  {
    id: 'pair: newer failure by lastTransitionTime, no summary yet',
    engine: engine(SPEC_REMOTE, [
      C.resourceReady(2),
      C.serviceReady(45),
      C.serviceFailed(NOT_PROGRESSING, 3000),
    ]),
    now: at(3100),
    expect: {
      phase: 'Failed',
      outcome: 'terminal',
      cause: 'service',
      reason: /not progressing/,
      steps: 'resources:done service:failed ready:pending',
      canChat: true,
      kaitoMessage: 'is not progressing',
    },
  },
  {
    id: 'pair: newer failure by observedGeneration, no summary yet',
    engine: engine(
      SPEC_REMOTE,
      [
        C.resourceReady(2),
        C.serviceFailed(NOT_PROGRESSING, 602, 2),
        C.serviceReady(900, 1),
      ],
      { generation: 2 },
    ),
    now: at(1000),
    expect: {
      phase: 'Failed',
      outcome: 'terminal',
      cause: 'service',
      reason: /not progressing/,
      steps: 'resources:done service:failed ready:pending',
      canChat: true,
    },
  },
  {
    id: 'pair: newer success by lastTransitionTime, no summary yet',
    engine: engine(SPEC_REMOTE, [
      C.resourceReady(2),
      C.serviceFailed('context deadline exceeded', 602),
      C.serviceReady(900),
    ]),
    now: at(1000),
    expect: {
      phase: 'StartingService',
      outcome: 'progress',
      reason: /service is up; KAITO is finishing/,
      steps: 'resources:done service:active ready:pending',
      canChat: true,
    },
  },
  {
    id: 'pair: same time, no summary (the failure wins)',
    engine: engine(SPEC_REMOTE, [
      C.resourceReady(2),
      C.serviceReady(602),
      C.serviceFailed(NOT_PROGRESSING, 602),
    ]),
    now: at(700),
    expect: {
      phase: 'Failed',
      outcome: 'terminal',
      cause: 'service',
      reason: /not progressing/,
      steps: 'resources:done service:failed ready:pending',
      canChat: true,
    },
  },
  {
    id: 'spec changed since the failure (older observedGeneration)',
    engine: engine(
      SPEC_REMOTE,
      [
        C.resourceReady(2),
        C.serviceFailed(NOT_PROGRESSING, 602),
        C.failed(NOT_PROGRESSING, 602),
      ],
      { generation: 2 },
    ),
    now: at(700),
    expect: {
      phase: 'Failed',
      outcome: 'retrying',
      cause: 'service',
      reason:
        /^KAITO is applying the changed spec; its last attempt failed: the RAG engine Deployment is not progressing/,
      steps: 'resources:done service:failed ready:pending',
      canChat: true,
      fix: false,
    },
  },

  // --- Deletion ----------------------------------------------------------------------------
  {
    id: 'deleting a ready RAGEngine',
    engine: engine(
      SPEC_COMPUTE,
      [
        C.nodeClaimReady,
        C.resourceReady(421),
        C.serviceReady(700),
        C.succeeded(700),
        C.deleting(5000),
      ],
      { deletionTimestamp: at(5000) },
    ),
    now: at(5030),
    expect: {
      phase: 'Deleting',
      outcome: 'progress',
      reason:
        /^The RAGEngine is being deleted; KAITO is removing its Deployment, Service and node\.$/,
      steps: `${HAPPY} deleting:active`,
      canChat: true,
      kaitoMessage: 'ragengine is being deleted',
      fix: false,
      slow: false,
    },
  },
  {
    id: 'deleting a failed RAGEngine (deletionTimestamp only)',
    engine: engine(
      SPEC_REMOTE,
      [
        C.resourceReady(2),
        C.serviceFailed(NOT_PROGRESSING, 602),
        C.failed(NOT_PROGRESSING, 602),
      ],
      { deletionTimestamp: at(700) },
    ),
    now: at(710),
    expect: {
      phase: 'Deleting',
      outcome: 'progress',
      reason: /being deleted; KAITO is removing its Deployment, Service\.$/,
      steps: 'resources:done service:pending ready:pending deleting:active',
      canChat: true,
      fix: false,
    },
  },

  // --- Unknown and old shapes ----------------------------------------------------------------
  {
    id: 'unknown condition type False with a failure reason',
    engine: engine(SPEC_REMOTE, [
      C.resourceReady(2),
      cond(
        'GuardrailsReady',
        'False',
        'ConfigMapLoadFailed',
        'configmap "ragengine-guardrails-policy" not found',
        10,
      ),
    ]),
    now: at(60),
    expect: {
      phase: 'Failed',
      outcome: 'terminal',
      cause: 'other',
      reason:
        /^Condition GuardrailsReady \(ConfigMapLoadFailed\) reports a problem/,
      steps: 'resources:done service:failed ready:pending',
      canChat: true,
      kaitoMessage: 'ragengine-guardrails-policy',
      fix: /kubectl describe ragengine ragengine-docs/,
    },
  },
  {
    id: 'unknown condition type True does not hide readiness',
    engine: engine(SPEC_REMOTE, [
      C.resourceReady(2),
      C.serviceReady(45),
      C.succeeded(45),
      cond('GuardrailsReady', 'True', 'GuardrailsLoaded', 'policy loaded', 40),
    ]),
    now: at(60),
    expect: {
      phase: 'Ready',
      outcome: 'ready',
      reason: /^Ready for retrieval and chat/,
      steps: HAPPY_NO_NODES,
      canChat: true,
    },
  },
  {
    id: 'summary False with an unrecognised message is still a failure',
    engine: engine(SPEC_REMOTE, [
      C.resourceReady(2),
      C.failed('failed to create new ControllerRevision: something odd', 3),
    ]),
    now: at(60),
    expect: {
      phase: 'Failed',
      outcome: 'terminal',
      cause: 'other',
      reason: /reports a problem \(failed to create new ControllerRevision/,
      steps: 'resources:done service:failed ready:pending',
      canChat: true,
      kaitoMessage: 'ControllerRevision',
    },
  },
  {
    id: 'v1alpha1: creating nodeClaims (KAITO v0.6 words)',
    engine: engine(
      {
        compute: {
          count: 1,
          instanceType: 'Standard_NC6s_v3',
          labelSelector: { matchLabels: { apps: NAME } },
        },
        embedding: { local: { modelID: 'BAAI/bge-small-en-v1.5' } },
        inferenceService: { url: CHAT_URL, contextWindowSize: 4096 },
      },
      [
        cond(
          'NodeClaimReady',
          'Unknown',
          'CreateNodeClaimPending',
          'creating 1 nodeClaims',
          5,
        ),
      ],
      { apiVersion: 'kaito.sh/v1alpha1' },
    ),
    now: at(60),
    expect: {
      phase: 'ProvisioningNodes',
      outcome: 'progress',
      reason: /provisioning a Standard_NC6s_v3 node/,
      steps: 'resources:done nodes:active service:pending ready:pending',
      canChat: true,
      kaitoMessage: 'creating 1 nodeClaims',
    },
  },
  {
    id: 'v1alpha1: ready without ResourceReady (no compute, older controller)',
    engine: engine(
      {
        embedding: {
          remote: { url: 'https://api.openai.com/v1/embeddings' },
        },
        inferenceService: { url: CHAT_URL, contextWindowSize: 4096 },
      },
      [C.serviceReady(45), C.succeeded(45)],
      { apiVersion: 'kaito.sh/v1alpha1' },
    ),
    now: at(60),
    expect: {
      phase: 'Ready',
      outcome: 'ready',
      reason: /^Ready for retrieval and chat/,
      steps: HAPPY_NO_NODES,
      canChat: true,
    },
  },
  {
    id: 'status without conditions',
    engine: { ...engine(SPEC_REMOTE, undefined), status: {} },
    now: at(30),
    expect: {
      phase: 'Pending',
      outcome: 'progress',
      reason: /^Waiting for the KAITO RAGEngine controller/,
      steps: 'resources:active service:pending ready:pending',
      canChat: true,
    },
  },

  // --- Redaction ---------------------------------------------------------------------------
  {
    id: 'secrets in KAITO message are redacted and capped',
    engine: engine(SPEC_REMOTE, [
      C.resourceReady(2),
      C.serviceFailed(
        `deployment ${NAME} is not progressing: pod failed: embedding call with Authorization: Bearer sk-live-0123456789abcdef to https://emb.example.com/v1?sig=AbCdEf0123456789&se=2027 failed; HF_TOKEN=hf_abcdefghijklmnopqrstu; api_key: sk-proj-ABCDEFGHIJKLMNOP ${'x'.repeat(
          200,
        )}`,
        602,
      ),
    ]),
    now: at(620),
    expect: {
      phase: 'Failed',
      outcome: 'terminal',
      cause: 'service',
      reason: /not progressing/,
      steps: 'resources:done service:failed ready:pending',
      canChat: true,
      kaitoMessage: 'Bearer ***',
    },
  },
];
