import type { KubeCondition, ObjectMeta } from './kube';
import type { ResourceSpec } from './workspace';

/** `kaito.sh` RAGEngine. Unlike Workspace it has a real `.spec`. */
export interface RAGEngineSpec {
  /** Needed only when the embedding model runs locally on a GPU. */
  compute?: ResourceSpec;
  storage?: {
    persistentVolume?: { persistentVolumeClaim: string; mountPath?: string };
    vectorDB?: {
      engine: 'qdrant' | string;
      url: string;
      accessSecret?: string;
    };
  };
  /** Exactly one of remote / local. */
  embedding: {
    remote?: { url: string; accessSecret?: string };
    local?: {
      image?: string;
      imagePullSecret?: string;
      modelID?: string;
      modelAccessSecret?: string;
    };
  };
  /** Optional; without it the engine runs retrieve-only. */
  inferenceService?: {
    url: string;
    accessSecret?: string;
    contextWindowSize: number;
  };
  guardrails?: { enabled?: boolean; configMapRef?: { name: string } };
}

export interface RAGEngineStatus {
  conditions?: KubeCondition[];
  workerNodes?: string[];
}

export interface RAGEngine {
  apiVersion: 'kaito.sh/v1beta1' | 'kaito.sh/v1alpha1';
  kind: 'RAGEngine';
  metadata: ObjectMeta;
  spec: RAGEngineSpec;
  status?: RAGEngineStatus;
}
