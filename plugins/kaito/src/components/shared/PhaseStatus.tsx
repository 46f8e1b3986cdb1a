import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
  StatusWarning,
} from '@backstage/core-components';
import type {
  ReadinessPhase,
  ReadinessStep,
} from '@kaito-backstage/plugin-kaito-common';

/** Words for each phase, as a user reads them. */
export const PHASE_LABELS: Record<ReadinessPhase, string> = {
  Pending: 'Pending',
  ProvisioningNodes: 'Provisioning GPU nodes',
  DownloadingWeights: 'Downloading weights',
  StartingInference: 'Starting inference server',
  Ready: 'Ready',
  TuningRunning: 'Tuning',
  Succeeded: 'Succeeded',
  Failed: 'Failed',
  Degraded: 'Degraded',
};

/** Words for the RAGEngine phases a Workspace does not have. */
const RAGENGINE_PHASE_LABELS: Record<string, string> = {
  StartingService: 'Starting RAG service',
  Deleting: 'Being deleted',
};

export function phaseLabel(phase: string | undefined): string {
  return (
    PHASE_LABELS[phase as ReadinessPhase] ??
    RAGENGINE_PHASE_LABELS[phase ?? ''] ??
    phase ??
    'Unknown'
  );
}

/** The status icon and its label for a phase. */
export function PhaseStatus(props: {
  phase?: string;
  label?: string;
  retrying?: boolean;
}) {
  const label = props.label ?? phaseLabel(props.phase);
  switch (props.phase) {
    case 'Ready':
    case 'Succeeded':
      return <StatusOK>{label}</StatusOK>;
    case 'Failed':
      return props.retrying ? (
        <StatusWarning>{label}</StatusWarning>
      ) : (
        <StatusError>{label}</StatusError>
      );
    case 'Degraded':
      return <StatusWarning>{label}</StatusWarning>;
    case 'Pending':
      return <StatusPending>{label}</StatusPending>;
    case undefined:
      return <StatusAborted>{label}</StatusAborted>;
    default:
      return <StatusRunning>{label}</StatusRunning>;
  }
}

/** The status icon of one timeline step. */
export function StepStatusIcon(props: { status: ReadinessStep['status'] }) {
  switch (props.status) {
    case 'done':
      return <StatusOK />;
    case 'active':
      return <StatusRunning />;
    case 'failed':
      return <StatusError />;
    case 'warning':
      return <StatusWarning />;
    default:
      return <StatusPending />;
  }
}
