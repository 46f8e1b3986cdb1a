import type { KubeCondition } from '../types/kube';
import type { Workspace } from '../types/workspace';
import type { KaitoClusterFacts, KaitoVersionInfo } from './types';

/**
 * What a KAITO release writes, as far as reading its status is concerned.
 * Facts: research/kaito.md §1.6b (controller at v0.4.6 … v0.12.0).
 */
export interface KaitoProfile {
  /** `status.state` (v0.9.0+, PR #1745). */
  hasState: boolean;
  /** InferenceReady is recomputed from live pods on every sync (v0.9+); ≤ 0.8 left it True during crash loops. */
  recomputesReadiness: boolean;
  /** Post-load benchmark: none (≤ 0.9), opt-in via `kaito.sh/run-benchmark` (0.10), default on (0.11+). */
  benchmark: 'none' | 'optIn' | 'default';
  /** Model streaming / ModelMirror (0.11+). */
  modelStreaming: boolean;
  /** The HF_TOKEN secret reference is optional (0.11+): a missing Secret no longer blocks the start. */
  optionalHfToken: boolean;
  /** InferenceReady carries classified pod failures (0.12+). */
  classifiesPods: boolean;
  /** NodeClaim launch errors are copied into NodeClaimReady / ResourceReady (0.12+, PR #2203). */
  surfacesNodeClaimErrors: boolean;
}

type Parts = [number, number, number];

function parse(v: string | undefined): Parts | undefined {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec((v ?? '').trim());
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : undefined;
}

function atLeast(p: Parts, major: number, minor: number): boolean {
  return p[0] > major || (p[0] === major && p[1] >= minor);
}

function benchmarkMode(p: Parts): KaitoProfile['benchmark'] {
  if (atLeast(p, 0, 11)) return 'default';
  return atLeast(p, 0, 10) ? 'optIn' : 'none';
}

/** The profile of a release; `undefined` gives the most careful reading (every check on). */
export function kaitoProfile(version: string | undefined): KaitoProfile {
  const p = parse(version);
  if (!p) {
    return {
      hasState: true,
      recomputesReadiness: false,
      benchmark: 'default',
      modelStreaming: true,
      optionalHfToken: true,
      classifiesPods: false,
      surfacesNodeClaimErrors: false,
    };
  }
  return {
    hasState: atLeast(p, 0, 9),
    recomputesReadiness: atLeast(p, 0, 9),
    benchmark: benchmarkMode(p),
    modelStreaming: atLeast(p, 0, 11),
    optionalHfToken: atLeast(p, 0, 11),
    classifiesPods: atLeast(p, 0, 12),
    surfacesNodeClaimErrors: atLeast(p, 0, 12),
  };
}

const CLASSIFIED =
  /^(Container(OOMKilled|CrashLoopBackOff|StartError)|ImagePullError|PodEvicted|NodeDiskPressure|NodeMemoryPressure|Unschedulable|SASTokenFetchFailed|ModelStreaming\w+|ModelMirrorCreateFailed)$/;
const KARPENTER_REASON =
  /^(LaunchFailed|AwaitingReconciliation|NotLaunched|NotRegistered|NotInitialized|RegistrationFailed|InitializationFailed)$/;

/** A floor (lowest release that writes this) read from the status alone. */
function floorFromStatus(ws: Workspace): {
  floor?: Parts;
  ceiling?: Parts;
  seen: string[];
} {
  const conds: KubeCondition[] = ws.status.conditions;
  const has = (t: string) => conds.find(c => c.type === t);
  const seen: string[] = [];
  let floor: Parts | undefined;
  let ceiling: Parts | undefined;
  const raise = (p: Parts, why: string) => {
    seen.push(why);
    if (!floor || p[1] > floor[1] || p[0] > floor[0]) floor = p;
  };
  if (
    CLASSIFIED.test(has('InferenceReady')?.reason ?? '') ||
    KARPENTER_REASON.test(has('NodeClaimReady')?.reason ?? '')
  )
    raise([0, 12, 0], 'classified condition reasons (0.12+)');
  if (
    has('ModelMirrorReady') ||
    has('ResourceReady')?.reason === 'ModelMirrorNotReady'
  )
    raise([0, 11, 0], 'ModelMirrorReady condition (0.11+)');
  if (has('BenchmarkCompleted') || ws.status.performance)
    raise([0, 10, 0], 'benchmark status (0.10+)');
  if (typeof ws.status.state === 'string')
    raise([0, 9, 0], 'status.state (0.9+)');
  else if (conds.length > 0) {
    // A reconciled Workspace without status.state was written by 0.8 or older.
    ceiling = [0, 8, 99];
    seen.push('no status.state on a reconciled Workspace (≤ 0.8)');
  }
  if (has('WorkspaceReady')) {
    ceiling = [0, 3, 0];
    seen.push('WorkspaceReady condition (≤ 0.3.0)');
  }
  return { floor, ceiling, seen };
}

/**
 * Which KAITO release wrote this Workspace: a configured version, else the
 * controller image tag, else what the CRDs serve and which status fields are
 * present. When only a floor is known (or nothing), `careful` is true and
 * readiness uses the reading that never turns a failure into progress.
 */
export function detectKaitoVersion(
  ws: Workspace,
  cluster: KaitoClusterFacts = {},
): KaitoVersionInfo {
  const configured = parse(cluster.version);
  if (configured) {
    const v = configured.join('.');
    return {
      version: v,
      basis: ['configured'],
      careful: false,
      note: `KAITO ${v} (configured)`,
    };
  }
  const tag = /:v?(\d+\.\d+\.\d+)(?:[-@].*)?$/.exec(
    cluster.controllerImage ?? '',
  );
  if (tag) {
    return {
      version: tag[1],
      basis: ['controller image tag'],
      careful: false,
      note: `KAITO ${tag[1]} (controller image tag)`,
    };
  }
  const basis: string[] = [];
  const { floor: statusFloor, ceiling, seen } = floorFromStatus(ws);
  let floor = statusFloor;
  if (seen.length) basis.push('status fields present');
  if (cluster.servesModelMirror || cluster.servesInferenceSet) {
    basis.push('CRD versions served');
    if (!floor || !atLeast(floor, 0, 11)) floor = [0, 11, 0];
  } else if (cluster.workspaceVersions?.includes('v1beta1')) {
    basis.push('CRD versions served');
    if (!floor) floor = [0, 4, 0];
  }
  if (ceiling && (!floor || !atLeast(floor, ceiling[0], ceiling[1] + 1))) {
    const label = ceiling[1] <= 3 ? '≤0.3' : '≤0.8';
    return {
      version: label,
      basis,
      careful: true,
      note: `KAITO ${label} (from ${seen.join(
        ', ',
      )}); exact release unknown, reading the status carefully`,
    };
  }
  if (floor) {
    const label = `>=${floor[0]}.${floor[1]}`;
    return {
      version: label,
      basis,
      careful: true,
      note: `KAITO ${label} (from ${[
        ...seen,
        ...(basis.includes('CRD versions served') ? ['CRDs served'] : []),
      ].join(', ')}); exact release unknown, reading the status carefully`,
    };
  }
  return {
    basis,
    careful: true,
    note: 'KAITO version unknown; reading the status carefully (every failure counts, nothing is assumed to heal)',
  };
}

/** The version to read by: exact when known; a ceiling like ≤0.8 reads as 0.8; a floor reads carefully. */
export function profileFor(info: KaitoVersionInfo): KaitoProfile {
  if (!info.version) return kaitoProfile(undefined);
  if (info.version.startsWith('≤')) return kaitoProfile(info.version.slice(1));
  if (info.version.startsWith('>=')) {
    const careful = kaitoProfile(undefined);
    const floor = kaitoProfile(info.version.slice(2));
    // Known-present features from the floor; the rest stays careful.
    return {
      ...careful,
      hasState: true,
      recomputesReadiness:
        floor.recomputesReadiness && careful.recomputesReadiness,
      classifiesPods: floor.classifiesPods,
      surfacesNodeClaimErrors: floor.surfacesNodeClaimErrors,
    };
  }
  return kaitoProfile(info.version);
}
