import type {
  KubeCondition,
  KubeEvent,
  KubePod,
  NodeClaim,
} from '../types/kube';

/** Where a Workspace is in its life, in one word. */
export type ReadinessPhase =
  | 'Pending'
  | 'ProvisioningNodes'
  | 'DownloadingWeights'
  | 'StartingInference'
  | 'Ready'
  | 'TuningRunning'
  | 'Succeeded'
  | 'Failed'
  | 'Degraded';

/** One step of the timeline a UI draws. */
export interface ReadinessStep {
  id: string;
  title: string;
  status: 'done' | 'active' | 'pending' | 'failed' | 'warning';
  /** When the step last changed (from a condition's lastTransitionTime), ISO 8601. */
  at?: string;
  detail?: string;
}

/**
 * Whether anything is wrong and who acts next:
 * - `progress`: normal work in progress (nothing to do but wait);
 * - `ready`: serving (or, for tuning, finished);
 * - `retrying`: something failed, but KAITO or the node provisioner retries on
 *   its own and it may heal (a transient launch error, an early crash);
 * - `terminal`: it will not get better without the user (quota, gated model,
 *   OOM, a wrong image, a failed tuning job).
 */
export type ReadinessOutcome = 'progress' | 'ready' | 'retrying' | 'terminal';

/** What the failure is about, when there is one (stable ids for UIs and tests). */
export type FailureKind =
  | 'quota'
  | 'provisioning'
  | 'oom'
  | 'imagePull'
  | 'gatedModel'
  | 'crashLoop'
  | 'startError'
  | 'nodePressure'
  | 'evicted'
  | 'unschedulable'
  | 'modelDownload'
  | 'reconcile'
  | 'tuningFailed'
  | 'benchmark'
  | 'regressed'
  | 'readinessTimeout'
  | 'other';

/** KAITO's (or Karpenter's, or the kubelet's) own words, verbatim, capped and with tokens redacted. */
export interface KaitoMessage {
  /** Where it was read, e.g. `condition InferenceReady (ContainerCrashLoopBackOff)` or `NodeClaim ws-abc12 Launched`. */
  source: string;
  text: string;
  /** True when `text` was cut to the cap (256 characters, as KAITO caps its own); `text` then ends with "…". */
  truncated: boolean;
}

/** How long the Workspace has been in its current phase, against what is typical. */
export interface ReadinessTiming {
  /** When the current phase began (best evidence: a condition's lastTransitionTime, else creation), ISO 8601. */
  since?: string;
  /** Seconds spent in the phase so far. */
  seconds?: number;
  /** What this phase usually takes, in seconds (lower and upper bound); absent for end states. */
  typicalSeconds?: { min: number; max: number };
  /** True when `seconds` exceeds `typicalSeconds.max`. */
  slow: boolean;
}

/** Which KAITO release wrote the status, and how sure we are. */
export interface KaitoVersionInfo {
  /** e.g. `0.12.0`, or a floor such as `>=0.11` when only features were seen; absent when unknown. */
  version?: string;
  /** How it was found: `controller image tag`, `CRD versions served`, `status fields present`. */
  basis: string[];
  /**
   * True when the version is unknown (or only a floor) and readiness used
   * the most careful reading: the one that never turns a failure into progress.
   */
  careful: boolean;
  /** A sentence for the UI, e.g. "KAITO version unknown; reading the status carefully". */
  note: string;
}

/** The last lines of a container's log, read when the status cannot say why it crashes. */
export interface ContainerLogTail {
  pod: string;
  container: string;
  /** Last lines, secrets redacted. */
  lines: string[];
  /** A known cause recognised in the lines (gated model, CUDA OOM, unsupported architecture…). */
  cause?: FailureKind | 'unsupportedArchitecture';
  /** The cause in a user's words. */
  causeText?: string;
}

export interface WorkspaceReadiness {
  phase: ReadinessPhase;
  /** One plain sentence; includes the fix when one is known. */
  reason: string;
  steps: ReadinessStep[];
  conditions: KubeCondition[];
  mode: 'inference' | 'tuning';
  targetNodeCount?: number;
  instanceType?: string;
  model?: string;
  runtime: 'vllm' | 'transformers';

  // Optional verdict details (added for issue 17; every consumer may ignore them).
  /** progress / ready / retrying / terminal (see {@link ReadinessOutcome}). */
  outcome?: ReadinessOutcome;
  /** The failure's kind, when there is one. */
  cause?: FailureKind;
  /** Attempts so far when KAITO, Karpenter or the kubelet retries (container restarts, relaunches). */
  attempts?: number;
  /** KAITO's own message behind the verdict, verbatim and truncated. */
  kaitoMessage?: KaitoMessage;
  /** The fix alone (also part of `reason`), when the user must act. */
  fix?: string;
  /** Time in the current phase against what is typical. */
  timing?: ReadinessTiming;
  /** The KAITO release the status was read as. */
  kaitoVersion?: KaitoVersionInfo;
  /** The inference container's last log lines, when they were given and explain a crash. */
  containerLog?: ContainerLogTail;
}

/** What the cluster serves, for KAITO version detection (all optional). */
export interface KaitoClusterFacts {
  /** The KAITO controller (workspace) image, e.g. `mcr.microsoft.com/aks/kaito/workspace:0.12.0`. */
  controllerImage?: string;
  /** Versions the `workspaces.kaito.sh` CRD serves, e.g. `['v1alpha1', 'v1beta1']`. */
  workspaceVersions?: string[];
  /** Whether `modelmirrors.kaito.sh` (model streaming, v0.11+) is served. */
  servesModelMirror?: boolean;
  /** Whether `inferencesets.kaito.sh` (v0.11+) is served. */
  servesInferenceSet?: boolean;
  /** A version the caller already knows (config); wins over detection. */
  version?: string;
}

export interface ReadinessContext {
  /** Pods labelled `kaito.sh/workspace=<name>`. */
  pods?: KubePod[];
  /** NodeClaims labelled `kaito.sh/workspace=<name>`. */
  nodeClaims?: NodeClaim[];
  /** Events of the Workspace and its objects. */
  events?: KubeEvent[];
  /** Clock (default Date.now()). */
  now?: Date | number;
  /** What the cluster serves, to detect the KAITO version. */
  cluster?: KaitoClusterFacts;
  /** The inference container's log (text as read from pods/log), when a crash needs explaining. */
  containerLog?: { pod: string; container: string; text: string };
}
