import type { KubeCondition, LabelSelector, ObjectMeta } from './kube';

/**
 * KAITO Workspace types. A Workspace has NO `.spec`: `resource`, `inference`
 * and `tuning` sit at the top level next to `metadata`.
 */

export type WorkspaceApiVersion = 'kaito.sh/v1beta1' | 'kaito.sh/v1alpha1';

/** `status.state` (KAITO v0.9+). */
export type WorkspaceState =
  | 'Pending'
  | 'Ready'
  | 'NotReady'
  | 'Running'
  | 'Succeeded'
  | 'Failed';

export interface PresetOptions {
  /** @deprecated private preset image */
  image?: string;
  /** @deprecated */
  imagePullSecrets?: string[];
  /** v1beta1 only: Secret (same namespace) holding key HF_TOKEN. */
  modelAccessSecret?: string;
}

export interface PresetSpec {
  /** Legacy alias, catalog HF id, or any `org/model` HF id (v0.9+). */
  name: string;
  /** @deprecated in v1beta1 */
  accessMode?: 'public' | 'private';
  presetOptions?: PresetOptions;
}

export interface DataSource {
  name?: string;
  urls?: string[];
  image?: string;
  imagePullSecrets?: string[];
  volumeSource?: Record<string, unknown>;
}

export interface DataDestination {
  image?: string;
  imagePushSecret?: string;
  volumeSource?: Record<string, unknown>;
}

export interface AdapterSpec {
  source?: DataSource;
  /** Decimal string in [0, 1]; only the Transformers runtime honours it. */
  strength?: string;
}

export interface InferenceSpec {
  preset?: PresetSpec;
  /** Custom pod template (schemaless); mutually exclusive with preset. */
  template?: Record<string, unknown>;
  /** ConfigMap name holding `inference_config.yaml`. */
  config?: string;
  adapters?: AdapterSpec[];
}

export type TuningMethod = 'lora' | 'qlora';

export interface TuningSpec {
  preset?: PresetSpec;
  method?: TuningMethod;
  config?: string;
  input: DataSource;
  output: DataDestination;
}

export interface PartitionSpec {
  mode: 'mig' | 'accelerator';
  profile?: string;
  count?: number;
}

export interface ResourceSpec {
  /** @deprecated in v1beta1; only the Transformers runtime uses it. */
  count?: number;
  instanceType?: string;
  labelSelector: LabelSelector;
  /** @deprecated in v1beta1 */
  preferredNodes?: string[];
  /** v1beta1 only. */
  partition?: PartitionSpec;
}

export interface PerformanceMetric {
  description?: string;
  value?: string | number;
  unit?: string;
  config?: Record<string, unknown>;
}

export interface WorkspaceStatus {
  /** v0.9+ only. */
  state?: WorkspaceState | string;
  targetNodeCount?: number;
  workerNodes?: string[];
  conditions?: KubeCondition[];
  performance?: { metrics?: Record<string, PerformanceMetric> };
}

interface WorkspaceBase<V extends WorkspaceApiVersion> {
  apiVersion: V;
  kind: 'Workspace';
  metadata: ObjectMeta;
  resource?: ResourceSpec;
  inference?: InferenceSpec;
  tuning?: TuningSpec;
  status?: WorkspaceStatus;
}

/** `kaito.sh/v1beta1` Workspace (storage version since v0.4.6). */
export type WorkspaceV1beta1 = WorkspaceBase<'kaito.sh/v1beta1'>;

/** `kaito.sh/v1alpha1` Workspace (still served; no partition / modelAccessSecret / state). */
export type WorkspaceV1alpha1 = WorkspaceBase<'kaito.sh/v1alpha1'>;

/**
 * A Workspace normalized to one version-independent shape, so callers never
 * branch on `apiVersion`. `sourceApiVersion` records where it came from.
 */
export interface Workspace {
  apiVersion: WorkspaceApiVersion;
  kind: 'Workspace';
  /** Always set: namespace defaults to 'default', name to ''. */
  metadata: ObjectMeta & {
    name: string;
    namespace: string;
    labels: Record<string, string>;
    annotations: Record<string, string>;
  };
  resource: ResourceSpec;
  inference?: InferenceSpec;
  tuning?: TuningSpec;
  status: WorkspaceStatus & { conditions: KubeCondition[] };
  /** The apiVersion the object was read as. */
  sourceApiVersion: WorkspaceApiVersion;
  /** 'inference' when `inference` is set, 'tuning' when `tuning` is set. */
  mode: 'inference' | 'tuning';
}
