import { cap } from './faults';
import type { ConditionInput, StatusUpdate } from './status';
import type { ControllerVersion } from './version';

const T = (
  status: 'True' | 'False' | 'Unknown',
  reason: string,
  message: string,
): ConditionInput => ({
  status,
  reason,
  message,
});

/** What a pod failure looks like in KAITO v0.12's `InferenceReady` classification. */
export interface PodFailure {
  reason:
    | 'ContainerOOMKilled'
    | 'ContainerCrashLoopBackOff'
    | 'ImagePullError'
    | 'ContainerStartError';
  message: string;
}

/**
 * The Workspace status each KAITO release writes at each point of the
 * lifecycle, in the simulator's own words (research/kaito.md §1.6, §1.6b):
 * - ≤ 0.4: waits on NodeClaims with `NodeClaimReady=Unknown / CreateNodeClaimPending`;
 * - 0.5 – 0.8: NodeClaim and Node counts in the messages, `ResourceReady` copies
 *   the first condition that is not True; no `state`; `InferenceReady` only
 *   when the wait ends; errors in `WorkspaceSucceeded / workspaceFailed`;
 * - 0.9+: every sync recomputes the status, `InferenceReady` Pending from the
 *   start, `state` Pending → Ready → NotReady;
 * - 0.12: NodeClaim launch errors and classified pod failures on the conditions.
 */
export class ReleaseStatus {
  constructor(
    private readonly v: ControllerVersion,
    private readonly mode: 'inference' | 'tuning',
  ) {}

  private get tuning(): boolean {
    return this.mode === 'tuning';
  }

  private nodeClaims(ready: boolean, n: number): ConditionInput {
    if (this.v.syncsStatus)
      return ready
        ? T('True', 'NodeClaimsReady', 'Enough NodeClaims are ready')
        : T('False', 'NodeClaimNotReady', 'Ready NodeClaims are not enough');
    return ready
      ? T(
          'True',
          'NodeClaimsReady',
          `Enough NodeClaims are ready (TargetNodeClaims: ${n}, CurrentReadyNodeClaims: ${n})`,
        )
      : T(
          'False',
          'NodeClaimNotReady',
          `Ready NodeClaims are not enough (TargetNodeClaims: ${n}, CurrentReadyNodeClaims: 0)`,
        );
  }

  private nodes(ready: boolean, n: number): ConditionInput {
    if (this.v.syncsStatus)
      return ready
        ? T('True', 'NodesReady', 'Enough Nodes are ready')
        : T('False', 'NodeNotReady', 'Not enough Nodes are ready');
    return ready
      ? T(
          'True',
          'NodesReady',
          `Enough Nodes are ready (TargetNodes: ${n}, CurrentReadyNodes: ${n}, SelectedNodes: ${n})`,
        )
      : T(
          'False',
          'NodeNotReady',
          `Not enough Nodes are ready (TargetNodes: ${n}, CurrentReadyNodes: 0, SelectedNodes: 0)`,
        );
  }

  private pendingSummary(): ConditionInput {
    return this.tuning
      ? T(
          'False',
          'workspacePending',
          'workspace is initializing, tuning job has not started',
        )
      : T(
          'False',
          'workspacePending',
          'workspace is waiting for inference workload readiness',
        );
  }

  private pendingInference(): ConditionInput {
    return T(
      'False',
      'WorkspaceInferenceStatusPending',
      'Inference workload is not ready',
    );
  }

  /** The first status: NodeClaims being created. */
  created(nodes: number): StatusUpdate {
    if (this.v.waitsOnNodeClaims)
      return {
        targetNodeCount: nodes,
        conditions: {
          NodeClaimReady: T(
            'Unknown',
            'CreateNodeClaimPending',
            `creating ${nodes} nodeClaims`,
          ),
        },
      };
    const claims = this.nodeClaims(false, nodes);
    const base: StatusUpdate = {
      targetNodeCount: nodes,
      conditions: {
        NodeClaimReady: claims,
        NodesReady: this.nodes(false, nodes),
        ResourceReady: claims,
      },
    };
    if (!this.v.syncsStatus) return base;
    return {
      ...base,
      state: 'Pending',
      conditions: {
        ...base.conditions,
        ...(this.tuning
          ? {
              JobStarted: T(
                'False',
                'WorkspaceTuningJobStatusPending',
                'Tuning job has not started',
              ),
            }
          : { InferenceReady: this.pendingInference() }),
        WorkspaceSucceeded: this.pendingSummary(),
      },
    };
  }

  /** A NodeClaim launch failed: v0.12 copies it into NodeClaimReady / ResourceReady; before, nothing changes. */
  launchFailed(message: string): StatusUpdate | undefined {
    if (!this.v.surfacesNodeClaimErrors) return undefined;
    const c = T('False', 'LaunchFailed', cap(message));
    return { conditions: { NodeClaimReady: c, ResourceReady: c } };
  }

  /** Nodes registered and GPU plugins ready. */
  nodesReady(nodes: number): StatusUpdate {
    const resource = T(
      'True',
      'workspaceResourceStatusSuccess',
      'workspace resource is ready',
    );
    if (this.v.waitsOnNodeClaims)
      return {
        conditions: {
          NodeClaimReady: T(
            'True',
            'installNodePluginsSuccess',
            'nodeClaim plugins have been installed successfully',
          ),
          ResourceReady: resource,
        },
      };
    return {
      conditions: {
        NodeClaimReady: this.nodeClaims(true, nodes),
        NodesReady: this.nodes(true, nodes),
        ResourceReady: resource,
      },
    };
  }

  /** The inference workload exists and is not ready yet. */
  inferencePending(): StatusUpdate {
    if (!this.v.syncsStatus) return {};
    return {
      conditions: {
        InferenceReady: this.pendingInference(),
        WorkspaceSucceeded: this.pendingSummary(),
      },
    };
  }

  /**
   * A pod failure while not (or no longer) ready. v0.12 classifies it;
   * 0.9 – 0.11 say "not ready"; ≤ 0.8 write nothing while they wait.
   * `wasReady`: v0.9+ then say NotReady; ≤ 0.8 keep their Ready conditions.
   */
  podFailed(failure: PodFailure | undefined, wasReady: boolean): StatusUpdate {
    if (!this.v.syncsStatus) return {};
    const inference =
      failure && this.v.classifiesPodFailures
        ? T('False', failure.reason, cap(failure.message))
        : this.pendingInference();
    return {
      conditions: {
        InferenceReady: inference,
        WorkspaceSucceeded: this.pendingSummary(),
      },
      removeConditions:
        wasReady && this.v.runsBenchmark ? ['BenchmarkCompleted'] : [],
      state: wasReady ? 'NotReady' : 'Pending',
    };
  }

  /** Inference serving; `benchmark` when the release ran the post-load benchmark. */
  ready(benchmark: boolean): StatusUpdate {
    return {
      state: 'Ready',
      conditions: {
        InferenceReady: T(
          'True',
          'WorkspaceInferenceStatusSuccess',
          'Inference has been deployed successfully',
        ),
        ...(benchmark
          ? {
              BenchmarkCompleted: T(
                'True',
                'BenchmarkCompleted',
                'benchmark result has been recorded',
              ),
            }
          : {}),
        WorkspaceSucceeded: T(
          'True',
          'workspaceSucceeded',
          'workspace succeeds',
        ),
      },
    };
  }

  /**
   * The post-load benchmark failed: the model serves (InferenceReady True),
   * but BenchmarkCompleted and WorkspaceSucceeded say BenchmarkFailed and the
   * state is NotReady (v0.10+ `updateStatusConditionIfNotMatch` with the
   * probe's error).
   */
  benchmarkFailed(message: string): StatusUpdate {
    const ready = this.ready(false);
    return {
      state: 'NotReady',
      conditions: {
        ...ready.conditions,
        BenchmarkCompleted: T('False', 'BenchmarkFailed', cap(message)),
        WorkspaceSucceeded: T('False', 'BenchmarkFailed', cap(message)),
      },
    };
  }

  /** Whether the release runs the benchmark for this Workspace. */
  benchmarks(opts: {
    vllmPreset: boolean;
    annotations: Record<string, string>;
  }): boolean {
    if (!this.v.runsBenchmark || !opts.vllmPreset) return false;
    return this.v.benchmarkOptIn
      ? opts.annotations['kaito.sh/run-benchmark'] === 'true'
      : opts.annotations['kaito.sh/disable-benchmark'] !== 'true';
  }

  /** The tuning Job exists (≤ 0.8 call it started at once). */
  jobCreated(): StatusUpdate {
    if (this.v.syncsStatus) return {};
    return {
      conditions: {
        JobStarted: T(
          'True',
          'WorkspaceTuningJobStatusStarted',
          'Tuning job has started',
        ),
        WorkspaceSucceeded: T(
          'False',
          'workspacePending',
          'workspace has not completed, tuning job has 0 active pod, 0 ready pod',
        ),
      },
    };
  }

  /** The Job has an active pod (ready or not, e.g. one that cannot pull its image). */
  jobActive(readyPods: number): StatusUpdate {
    if (!this.v.syncsStatus)
      return {
        conditions: {
          WorkspaceSucceeded: T(
            'False',
            'workspacePending',
            `workspace has not completed, tuning job has 1 active pod, ${readyPods} ready pod`,
          ),
        },
      };
    return {
      state: 'Running',
      conditions: {
        JobStarted: T(
          'True',
          'WorkspaceTuningJobStatusStarted',
          'Tuning job has started',
        ),
        WorkspaceSucceeded: T(
          'False',
          'workspacePending',
          'workspace has not completed yet, tuning job is running',
        ),
      },
    };
  }

  jobFailed(): StatusUpdate {
    if (!this.v.syncsStatus)
      // ≤ 0.8 only mark success; a failed Job leaves "0 active pod".
      return {
        conditions: {
          WorkspaceSucceeded: T(
            'False',
            'workspacePending',
            'workspace has not completed, tuning job has 0 active pod, 0 ready pod',
          ),
        },
      };
    return {
      state: 'Failed',
      conditions: {
        JobStarted: T(
          'False',
          'WorkspaceTuningJobStatusFailed',
          'tuning job failed',
        ),
        WorkspaceSucceeded: T('False', 'workspaceFailed', 'tuning job failed'),
      },
    };
  }

  jobSucceeded(): StatusUpdate {
    return {
      state: 'Succeeded',
      conditions: {
        WorkspaceSucceeded: T(
          'True',
          'workspaceSucceeded',
          'workspace succeeds',
        ),
      },
    };
  }

  deleting(): StatusUpdate {
    return {
      conditions: {
        WorkspaceDeleting: T(
          'True',
          'workspaceDeleted',
          'workspace is being deleted',
        ),
      },
    };
  }
}
