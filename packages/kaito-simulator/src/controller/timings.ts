/** How long each simulated step takes, in milliseconds. */
export interface SimulatorTimings {
  /** NodeClaim created -> VM launched (`Launched=True`). */
  nodeLaunchMs: number;
  /** Launched -> node joined the cluster (`Registered=True`). */
  nodeRegisterMs: number;
  /** Registered -> node and GPU plugins ready (`Initialized=True`, `NodesReady`). */
  nodeReadyMs: number;
  /** Pod scheduled -> image pulled and container started. */
  containerStartMs: number;
  /** Model weights download (the `kaito_model_download_*` gauges count down over it). */
  weightsDownloadMs: number;
  /** Weights on disk -> model loaded and `/health` OK (`InferenceReady=True`). */
  inferenceStartMs: number;
  /** Tuning Job created -> its pod running (`JobStarted=True`). */
  tuningStartMs: number;
  /** Tuning Job running -> succeeded. */
  tuningRunMs: number;
  /** First back-off of a crashing container; doubles per restart like the kubelet's, capped at 5 minutes. */
  crashBackoffMs: number;
  /** Cadence of watch BOOKMARK events. */
  bookmarkIntervalMs: number;
}

/** Milliseconds: a workspace is Ready well under 200 ms. */
export const TEST_TIMINGS: SimulatorTimings = {
  nodeLaunchMs: 5,
  nodeRegisterMs: 5,
  nodeReadyMs: 5,
  containerStartMs: 5,
  weightsDownloadMs: 10,
  inferenceStartMs: 5,
  tuningStartMs: 5,
  tuningRunMs: 20,
  crashBackoffMs: 20,
  bookmarkIntervalMs: 100,
};

/** Demo speed: the whole path to Ready takes about half a minute, so each phase is visible. */
export const DEMO_TIMINGS: SimulatorTimings = {
  nodeLaunchMs: 4000,
  nodeRegisterMs: 4000,
  nodeReadyMs: 3000,
  containerStartMs: 3000,
  weightsDownloadMs: 15000,
  inferenceStartMs: 5000,
  tuningStartMs: 5000,
  tuningRunMs: 30000,
  crashBackoffMs: 10000,
  bookmarkIntervalMs: 30000,
};

/** Resolves the `timings` option; rejects negative or non-numeric values with a clear message. */
export function resolveTimings(
  input: 'test' | 'demo' | Partial<SimulatorTimings> | undefined,
): SimulatorTimings {
  if (input === undefined || input === 'test') return { ...TEST_TIMINGS };
  if (input === 'demo') return { ...DEMO_TIMINGS };
  if (typeof input !== 'object' || input === null) {
    throw new Error(
      `kaito-simulator: timings must be 'test', 'demo' or an object of millisecond values, got ${JSON.stringify(
        input,
      )}`,
    );
  }
  const out: SimulatorTimings = { ...TEST_TIMINGS };
  for (const [k, v] of Object.entries(input)) {
    if (!(k in TEST_TIMINGS)) {
      throw new Error(
        `kaito-simulator: unknown timing "${k}"; known timings: ${Object.keys(
          TEST_TIMINGS,
        ).join(', ')}`,
      );
    }
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      throw new Error(
        `kaito-simulator: timing "${k}" must be a non-negative number of milliseconds, got ${JSON.stringify(
          v,
        )}`,
      );
    }
    (out as unknown as Record<string, number>)[k] = v;
  }
  if (out.bookmarkIntervalMs < 1) out.bookmarkIntervalMs = 1;
  return out;
}
