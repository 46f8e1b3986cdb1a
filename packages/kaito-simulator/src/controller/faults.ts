/**
 * Scripted failures a Workspace (or a RAGEngine, see ragengineFaults.ts) can
 * be given, by annotation or by simulator config.
 */
export const SIMULATOR_FAULTS = [
  'quotaExceeded',
  'oomKilled',
  'imagePullError',
  'crashLoopWhileReady',
  'crashLoop',
  'gatedModelWithoutToken',
  'benchmarkFailed',
] as const;

export type SimulatorFault = (typeof SIMULATOR_FAULTS)[number];

/** Annotation that picks a fault for one Workspace. */
export const FAULT_ANNOTATION = 'kaito.simulator/fault';

export function isFault(v: unknown): v is SimulatorFault {
  return (
    typeof v === 'string' && (SIMULATOR_FAULTS as readonly string[]).includes(v)
  );
}

/** Validates the `faults` option up front so a typo fails loudly, not silently. */
export function checkFaults(
  faults: Record<string, unknown> | undefined,
): Record<string, SimulatorFault> {
  const out: Record<string, SimulatorFault> = {};
  for (const [key, fault] of Object.entries(faults ?? {})) {
    if (!/^[^/]+\/[^/]+$/.test(key)) {
      throw new Error(
        `kaito-simulator: fault key "${key}" must be "<namespace>/<workspace name>" (or a RAGEngine's name)`,
      );
    }
    if (!isFault(fault)) {
      throw new Error(
        `kaito-simulator: unknown fault ${JSON.stringify(
          fault,
        )} for "${key}"; use one of ${SIMULATOR_FAULTS.join(', ')}`,
      );
    }
    out[key] = fault;
  }
  return out;
}

/** KAITO (v0.12 `utils.TruncateMessage`) caps surfaced messages at 256 bytes and appends "...". */
export function cap(message: string, max = 256): string {
  return message.length > max ? `${message.slice(0, max)}...` : message;
}

/**
 * What Azure answers when a GPU family's vCPU quota is too small, as the
 * gpu-provisioner copies it into the NodeClaim's Launched condition.
 */
export function quotaExceededMessage(opts: {
  family: string;
  location: string;
  vCPUs: number;
  nodes: number;
}): string {
  const need = opts.vCPUs * opts.nodes;
  return (
    `creating instance, Operation could not be completed as it results in exceeding approved ${opts.family} Cores quota. ` +
    `Additional details - Deployment Model: Resource Manager, Location: ${opts.location}, Current Limit: 0, Current Usage: 0, ` +
    `Additional Required: ${need}, (Minimum) New Limit Required: ${need}. Submit a request for Quota increase at ` +
    `https://aka.ms/ProdportalCRP/#blade/Microsoft_Azure_Capacity/UsageAndQuota.ReactView/Parameters/ by specifying parameters listed in the 'Details' section for deployment to succeed.`
  );
}

/**
 * What KAITO's benchmark probe reports when the post-load run measured
 * nothing (v0.10+ `BenchmarkFailed`, pod name first).
 */
export function benchmarkFailedMessage(namespace: string, pod: string): string {
  return `pod ${namespace}/${pod}: benchmark failed: TPM value 0 indicates a failed or incomplete run`;
}

/** Hugging Face's answer to an unauthenticated download of a gated model, as vLLM logs it before exiting. */
export function gatedRepoMessage(hfId: string): string {
  return (
    `huggingface_hub.errors.GatedRepoError: 401 Client Error. Cannot access gated repo for url https://huggingface.co/${hfId}/resolve/main/config.json. ` +
    `Access to model ${hfId} is restricted. You must have access to it and be authenticated to access it. Please log in.`
  );
}
