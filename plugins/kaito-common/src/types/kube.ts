/**
 * Minimal Kubernetes shapes that KAITO objects and readiness logic need.
 * Only the fields we read are typed; everything else is allowed through.
 */

/** Standard `metav1.Condition`, as KAITO writes it into `status.conditions`. */
export interface KubeCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown' | string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  observedGeneration?: number;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  generation?: number;
  resourceVersion?: string;
  ownerReferences?: Array<{
    apiVersion: string;
    kind: string;
    name: string;
    uid?: string;
  }>;
  [key: string]: unknown;
}

export interface LabelSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | string;
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

/** One container state (`waiting`, `running` or `terminated`). */
export interface ContainerState {
  waiting?: { reason?: string; message?: string };
  running?: { startedAt?: string };
  terminated?: {
    reason?: string;
    message?: string;
    exitCode?: number;
    startedAt?: string;
    finishedAt?: string;
  };
}

export interface ContainerStatus {
  name: string;
  ready?: boolean;
  started?: boolean;
  restartCount?: number;
  image?: string;
  state?: ContainerState;
  lastState?: ContainerState;
}

/** Minimal Pod: what the readiness classifier reads. */
export interface KubePod {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec?: { nodeName?: string; [key: string]: unknown };
  status?: {
    phase?: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown' | string;
    reason?: string;
    message?: string;
    startTime?: string;
    conditions?: KubeCondition[];
    initContainerStatuses?: ContainerStatus[];
    containerStatuses?: ContainerStatus[];
  };
}

/** Karpenter `karpenter.sh/v1` NodeClaim (the parts KAITO readiness uses). */
export interface NodeClaim {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec?: {
    requirements?: LabelSelectorRequirement[];
    [key: string]: unknown;
  };
  status?: {
    nodeName?: string;
    providerID?: string;
    conditions?: KubeCondition[];
    [key: string]: unknown;
  };
}

/** core/v1 Event (or events.k8s.io/v1 mapped onto the same fields). */
export interface KubeEvent {
  metadata?: ObjectMeta;
  type?: 'Normal' | 'Warning' | string;
  reason?: string;
  message?: string;
  count?: number;
  firstTimestamp?: string;
  lastTimestamp?: string;
  eventTime?: string;
  involvedObject?: { kind?: string; name?: string; namespace?: string };
}
