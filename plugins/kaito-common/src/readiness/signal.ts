import type { FailureKind } from './types';

/** One piece of evidence that something failed, from any source. */
export interface Signal {
  kind: FailureKind;
  /** Where it came from, e.g. `pod ws-0 container ws` or `condition ResourceReady (LaunchFailed)`. */
  source: string;
  /** The raw message (trimmed), KAITO's or the kubelet's own words. */
  detail: string;
  /** Container restarts so far, when a container is involved. */
  restarts?: number;
  exitCode?: number;
  at?: string;
  /** The producer retries on its own and the state may heal (a transient launch error). */
  retrying?: boolean;
  /** True when this came from the Workspace's own conditions (KAITO's words). */
  fromKaito?: boolean;
}

const QUOTA = /quota|exceeding approved|InsufficientQuota|QuotaExceeded/i;
const IMAGE_PULL =
  /ErrImagePull|ImagePullBackOff|ImagePullError|InvalidImageName|ErrImageNeverPull|failed to pull image/i;
const OOM =
  /OOMKilled|ContainerOOMKilled|out of memory|OutOfMemory|DownloadOOMKilled/i;
const GATED =
  /gated repo|GatedRepoError|is gated|access to model .* is restricted|401 Client Error|Cannot access gated|Invalid credentials in Authorization header|Invalid user token/i;

export const PATTERNS = { QUOTA, IMAGE_PULL, OOM, GATED };

/** The failure kind a free text names, if any (quota before gated before OOM before image). */
export function classifyText(text: string): FailureKind | undefined {
  if (QUOTA.test(text)) return 'quota';
  if (GATED.test(text)) return 'gatedModel';
  if (OOM.test(text)) return 'oom';
  if (IMAGE_PULL.test(text)) return 'imagePull';
  return undefined;
}

/** The most specific kind wins: quota beats generic provisioning, a gated model beats a crash loop. */
export const PRIORITY: FailureKind[] = [
  'quota',
  'gatedModel',
  'oom',
  'imagePull',
  'startError',
  'modelDownload',
  'provisioning',
  'crashLoop',
  'evicted',
  'nodePressure',
  'unschedulable',
  'tuningFailed',
  'readinessTimeout',
  'reconcile',
  'regressed',
  'benchmark',
  'other',
];

export const NODE_KINDS: FailureKind[] = ['quota', 'provisioning'];

export const POD_KINDS: FailureKind[] = [
  'gatedModel',
  'oom',
  'imagePull',
  'startError',
  'crashLoop',
  'evicted',
  'nodePressure',
  'unschedulable',
];

export function pick(
  signals: Signal[],
  kinds: FailureKind[] = PRIORITY,
): Signal | undefined {
  for (const k of kinds) {
    const s = signals.find(x => x.kind === k);
    if (s) return s;
  }
  return undefined;
}
