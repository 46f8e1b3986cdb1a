import type { ReadinessPhase, ReadinessTiming } from './types';

/** What each phase usually takes, in seconds (KAITO docs and AKS node start-up times). */
export const TYPICAL_SECONDS: Partial<
  Record<ReadinessPhase, { min: number; max: number }>
> = {
  Pending: { min: 0, max: 120 },
  ProvisioningNodes: { min: 300, max: 900 },
  DownloadingWeights: { min: 120, max: 3600 },
  StartingInference: { min: 60, max: 1200 },
};

/** Time in the phase since `since`, against the typical span (weights scale with their size). */
export function phaseTiming(
  phase: ReadinessPhase,
  since: string | undefined,
  nowMs: number,
  weightGiB?: number,
): ReadinessTiming {
  let typical = TYPICAL_SECONDS[phase];
  if (
    typical &&
    weightGiB &&
    (phase === 'DownloadingWeights' || phase === 'StartingInference')
  ) {
    // About 100 MB/s from Hugging Face, at least the table's span.
    const scaled = Math.round((weightGiB * 1024) / 100);
    typical = { min: typical.min, max: Math.max(typical.max, scaled * 3) };
  }
  return timingAgainst(typical, since, nowMs);
}

/** Seconds since `since` (when it parses) against a typical span: slow past its max. */
export function timingAgainst(
  typical: { min: number; max: number } | undefined,
  since: string | undefined,
  nowMs: number,
): ReadinessTiming {
  const t = since ? Date.parse(since) : NaN;
  const seconds = Number.isFinite(t)
    ? Math.max(0, Math.round((nowMs - t) / 1000))
    : undefined;
  return {
    ...(since && seconds !== undefined ? { since, seconds } : {}),
    ...(typical ? { typicalSeconds: typical } : {}),
    slow: !!typical && seconds !== undefined && seconds > typical.max,
  };
}

export function minutes(seconds: number): string {
  const m = Math.round(seconds / 60);
  return `${m} minute${m === 1 ? '' : 's'}`;
}
