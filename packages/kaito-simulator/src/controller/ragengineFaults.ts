import type { SimulatorFault } from './faults';

/**
 * The faults a RAGEngine can be given (same `faults` option, annotation
 * `kaito.simulator/fault` and KAITO_SIMULATOR_FAULTS as Workspaces, keyed
 * `<namespace>/<ragengine name>`), and where each strikes.
 */
export type RagFaultStage = 'launch' | 'containerStart';
export type RagFaultEffect = 'quota' | 'imagePull' | 'crash';

export const RAG_FAULT_TABLE: Partial<
  Record<
    SimulatorFault,
    { stage: RagFaultStage; effect: RagFaultEffect; description: string }
  >
> = {
  quotaExceeded: {
    stage: 'launch',
    effect: 'quota',
    description:
      "with compute.instanceType: the NodeClaim stays Launched=Unknown LaunchFailed with Azure's quota error; after the NodeClaim check times out NodeClaimReady, ResourceReady and RAGEngineSucceeded turn False with its error",
  },
  imagePullError: {
    stage: 'containerStart',
    effect: 'imagePull',
    description:
      'the RAG service image cannot be pulled (ImagePullBackOff, kubelet events); the Deployment passes its progress deadline and RAGEngineServiceReady=False RAGEngineServiceStatusFailed, RAGEngineSucceeded=False ragengineFailed',
  },
  crashLoop: {
    stage: 'containerStart',
    effect: 'crash',
    description:
      'the RAG service container exits 1 loading the embedding model (the Hugging Face error is in its log) and crash-loops; the same two False conditions as imagePullError',
  },
};

/** The effect of a fault at a stage of a RAGEngine's run, if any. */
export function ragFaultAt(
  fault: SimulatorFault | undefined,
  stage: RagFaultStage,
): RagFaultEffect | undefined {
  const row = fault ? RAG_FAULT_TABLE[fault] : undefined;
  return row?.stage === stage ? row.effect : undefined;
}
