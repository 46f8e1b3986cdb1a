import type { KubeCondition, LabelSelector, ObjectMeta } from './kube';
import type {
  InferenceSpec,
  PartitionSpec,
  PerformanceMetric,
} from './workspace';

/** `kaito.sh` InferenceSet: a multi-replica wrapper that creates child Workspaces. */
export interface InferenceSetSpec {
  replicas?: number;
  labelSelector: LabelSelector;
  nodeCountLimit?: number;
  template: {
    metadata?: {
      labels?: Record<string, string>;
      annotations?: Record<string, string>;
    };
    resource: { instanceType?: string; partition?: PartitionSpec };
    inference: InferenceSpec;
  };
  updateStrategy?: Record<string, unknown>;
  autoUpgrade?: {
    enabled?: boolean;
    strategy?: 'InPlace' | 'Surge';
    maintenanceWindow?: { schedule?: string; duration?: string };
  };
}

export interface InferenceSetStatus {
  replicas?: number;
  readyReplicas?: number;
  selector?: string;
  conditions?: KubeCondition[];
  performance?: { metrics?: Record<string, PerformanceMetric> };
  autoUpgrade?: Record<string, unknown>;
}

export interface InferenceSet {
  apiVersion: 'kaito.sh/v1beta1' | 'kaito.sh/v1alpha1';
  kind: 'InferenceSet';
  metadata: ObjectMeta;
  spec: InferenceSetSpec;
  status?: InferenceSetStatus;
}
