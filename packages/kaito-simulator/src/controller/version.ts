/**
 * The KAITO controller release the simulator imitates. Older releases
 * differ in what they report, and clients must cope with all of them.
 */
export class ControllerVersion {
  readonly parts: [number, number, number];

  constructor(readonly raw: string) {
    const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?$/.exec(String(raw).trim());
    if (!m) {
      throw new Error(
        `kaito-simulator: controllerVersion must look like "0.12.0" (or "v0.8"), got ${JSON.stringify(
          raw,
        )}`,
      );
    }
    this.parts = [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
  }

  atLeast(v: string): boolean {
    const o = new ControllerVersion(v).parts;
    for (let i = 0; i < 3; i++) {
      if (this.parts[i] !== o[i]) return this.parts[i] > o[i];
    }
    return true;
  }

  /** `status.state` exists from v0.9.0 (PR #1745). */
  get hasState(): boolean {
    return this.atLeast('0.9.0');
  }

  /** The summary condition was `WorkspaceReady` up to v0.3.0. */
  get summaryCondition(): 'WorkspaceSucceeded' | 'WorkspaceReady' {
    return this.atLeast('0.3.1') ? 'WorkspaceSucceeded' : 'WorkspaceReady';
  }

  /** StatefulSet workloads since v0.8.0; a Deployment before. */
  get usesStatefulSet(): boolean {
    return this.atLeast('0.8.0');
  }

  /** The Transformers runtime serves OpenAI routes from v0.9.0; before, only `POST /chat`. */
  get legacyTransformersApi(): boolean {
    return !this.atLeast('0.9.0');
  }

  /** v0.12 classifies pod failures (OOM, crash loop, image pull) on InferenceReady. */
  get classifiesPodFailures(): boolean {
    return this.atLeast('0.12.0');
  }

  /** v0.12 copies the NodeClaim's own failure reason into NodeClaimReady / ResourceReady (PR #2203). */
  get surfacesNodeClaimErrors(): boolean {
    return this.atLeast('0.12.0');
  }

  /** Post-load benchmark (`BenchmarkCompleted`) from v0.10 for vLLM presets. */
  get runsBenchmark(): boolean {
    return this.atLeast('0.10.0');
  }

  /** v0.10 runs the benchmark only with `kaito.sh/run-benchmark`; later releases by default. */
  get benchmarkOptIn(): boolean {
    return !this.atLeast('0.11.0');
  }

  /** v0.9+ recomputes the whole status on every sync (InferenceReady Pending from the start, NotReady after a regression). */
  get syncsStatus(): boolean {
    return this.atLeast('0.9.0');
  }

  /** v0.11+: the HF_TOKEN secret reference is optional, so a missing Secret does not stop the container. */
  get optionalHfToken(): boolean {
    return this.atLeast('0.11.0');
  }

  /** Up to v0.4 the controller writes `NodeClaimReady=Unknown / CreateNodeClaimPending` and waits. */
  get waitsOnNodeClaims(): boolean {
    return !this.atLeast('0.5.0');
  }
}
