import { createHash, randomBytes } from 'node:crypto';
import type { KubeObject } from '../kube/types';
import { nowIso } from '../kube/types';
import { RAGENGINE_LABEL } from '../rag/proxy';
import type { RagEngineSpec } from './ragengineSpec';

/**
 * The objects KAITO's RAGEngine controller creates (`pkg/ragengine/manifests`):
 * a Deployment `<rag>` (1 replica, label `kaito.sh/ragengine=<rag>`), its
 * pod, and a Service `<rag>` with port `http` 80 → 5000.
 */

export const RAGENGINE_NAMESPACE_LABEL = 'kaito.sh/ragenginenamespace';
export const RAGENGINE_FINALIZER = 'ragengine.finalizer.kaito.sh';
export const RAG_REVISION_ANNOTATION = 'ragengine.kaito.io/revision';
export const RAG_HASH_ANNOTATION = 'ragengine.kaito.io/hash';
/** PRESET_RAG_REGISTRY_NAME / IMAGE_NAME / IMAGE_TAG defaults. */
export const RAG_IMAGE =
  'aimodelsregistrytest.azurecr.io/kaito-rag-service:0.3.2';
export const RAG_PORT = 5000;

export interface RagIdentity {
  namespace: string;
  name: string;
  uid: string;
  apiVersion: string;
}

function owner(r: RagIdentity) {
  return {
    apiVersion: r.apiVersion,
    kind: 'RAGEngine',
    name: r.name,
    uid: r.uid,
    controller: true,
    blockOwnerDeletion: true,
  };
}

export function ragSpecHash(spec: unknown): string {
  return createHash('sha256')
    .update(`${JSON.stringify(spec)}\n`)
    .digest('hex');
}

export function ragEnv(
  spec: RagEngineSpec,
): Array<{ name: string; value: string }> {
  const out = [
    ...(spec.modelID ? [{ name: 'MODEL_ID', value: spec.modelID }] : []),
    { name: 'EMBEDDING_TYPE', value: spec.embeddingType },
    { name: 'VECTOR_DB_TYPE', value: spec.vectorDB },
    { name: 'DEFAULT_VECTOR_DB_PERSIST_DIR', value: 'storage' },
  ];
  if (spec.inferenceUrl) {
    out.push({ name: 'LLM_CONTEXT_WINDOW', value: String(spec.contextWindow) });
    out.push({ name: 'LLM_INFERENCE_URL', value: spec.inferenceUrl });
  }
  return out;
}

export function ragService(r: RagIdentity): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: r.name,
      namespace: r.namespace,
      ownerReferences: [owner(r)],
    },
    spec: {
      type: 'ClusterIP',
      selector: { [RAGENGINE_LABEL]: r.name },
      ports: [
        { name: 'http', protocol: 'TCP', port: 80, targetPort: RAG_PORT },
      ],
    },
  };
}

export function ragDeployment(
  r: RagIdentity,
  spec: RagEngineSpec,
  revision: string,
): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: r.name,
      namespace: r.namespace,
      labels: { [RAGENGINE_LABEL]: r.name },
      annotations: { [RAG_REVISION_ANNOTATION]: revision },
      ownerReferences: [owner(r)],
    },
    spec: {
      replicas: 1,
      selector: { matchLabels: { [RAGENGINE_LABEL]: r.name } },
      template: {
        metadata: { labels: { [RAGENGINE_LABEL]: r.name } },
        spec: {
          containers: [
            {
              name: r.name,
              image: RAG_IMAGE,
              command: ['/bin/sh', '-c', 'python3 main.py'],
              ports: [{ containerPort: RAG_PORT, protocol: 'TCP' }],
              env: ragEnv(spec),
              readinessProbe: { httpGet: { path: '/health', port: RAG_PORT } },
              livenessProbe: { httpGet: { path: '/health', port: RAG_PORT } },
            },
          ],
        },
      },
    },
    status: {
      observedGeneration: 1,
      replicas: 1,
      updatedReplicas: 1,
      unavailableReplicas: 1,
      conditions: [
        {
          type: 'Available',
          status: 'False',
          reason: 'MinimumReplicasUnavailable',
          message: 'Deployment does not have minimum availability.',
          lastUpdateTime: nowIso(),
          lastTransitionTime: nowIso(),
        },
        {
          type: 'Progressing',
          status: 'True',
          reason: 'ReplicaSetUpdated',
          message: `ReplicaSet "${r.name}-${replicaSetHash(
            r,
          )}" is progressing.`,
          lastUpdateTime: nowIso(),
          lastTransitionTime: nowIso(),
        },
      ],
    },
  };
}

export function replicaSetHash(r: RagIdentity): string {
  return createHash('sha256')
    .update(r.uid)
    .digest('hex')
    .slice(0, 10)
    .replace(/[0-9a-f]/g, c => 'bcdfghjklm'[parseInt(c, 16) % 10]);
}

export function ragPod(r: RagIdentity, nodeName: string): KubeObject {
  const b = randomBytes(4);
  const name = `${r.name}-${replicaSetHash(r)}-${b
    .toString('hex')
    .slice(0, 5)}`;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: r.namespace,
      labels: {
        [RAGENGINE_LABEL]: r.name,
        'pod-template-hash': replicaSetHash(r),
      },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: `${r.name}-${replicaSetHash(r)}`,
          uid: r.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: {
      nodeName,
      containers: [
        {
          name: r.name,
          image: RAG_IMAGE,
          ports: [{ containerPort: RAG_PORT, protocol: 'TCP' }],
        },
      ],
    },
    status: {
      phase: 'Pending',
      conditions: [
        { type: 'PodScheduled', status: 'True', lastTransitionTime: nowIso() },
      ],
      hostIP: `10.224.0.${(b[0] % 250) + 2}`,
      podIP: `10.244.${(b[1] % 250) + 1}.${(b[2] % 250) + 2}`,
      startTime: nowIso(),
      containerStatuses: [
        {
          name: r.name,
          image: RAG_IMAGE,
          imageID: '',
          ready: false,
          restartCount: 0,
          started: false,
          state: { waiting: { reason: 'ContainerCreating' } },
        },
      ],
    },
  };
}
