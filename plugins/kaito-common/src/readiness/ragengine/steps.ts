import type { KubeCondition } from '../../types/kube';
import { clip } from '../text';
import type { ReadinessStep } from '../types';
import { isTrue, type RagConditions } from './conditions';
import type { RagEnginePhase } from './types';

type StepStatus = ReadinessStep['status'];

/** The timeline's step ids, in order (`nodes` only with spec.compute.instanceType). */
export type RagStepId = 'resources' | 'nodes' | 'service' | 'ready';

export interface RagStepInput {
  rc: RagConditions;
  phase: RagEnginePhase;
  /** The step a failure sits on. */
  failed?: RagStepId;
  /** The failure's evidence, for the failed step (a pod's words when no condition has any). */
  failedDetail?: string;
  hasCompute: boolean;
  instanceType?: string;
  canChat: boolean;
  deleting: boolean;
}

const ORDER: RagStepId[] = ['resources', 'nodes', 'service', 'ready'];
const ACTIVE_IN: Partial<Record<RagEnginePhase, RagStepId>> = {
  Pending: 'resources',
  ProvisioningNodes: 'nodes',
  StartingService: 'service',
};

function step(
  id: RagStepId,
  title: string,
  status: StepStatus,
  cond?: KubeCondition,
): ReadinessStep {
  const s: ReadinessStep = { id, title, status };
  if (cond?.lastTransitionTime) s.at = cond.lastTransitionTime;
  if (cond?.message && (status === 'failed' || status === 'active'))
    s.detail = clip(cond.message, 200);
  return s;
}

function earliest(conds: KubeCondition[]): KubeCondition | undefined {
  return [...conds]
    .filter(c => c.lastTransitionTime)
    .sort((a, b) =>
      (a.lastTransitionTime ?? '').localeCompare(b.lastTransitionTime ?? ''),
    )[0];
}

/** How far KAITO got by its conditions alone (for Deleting, where the phase says nothing of it). */
function reached(rc: RagConditions, hasCompute: boolean): RagStepId {
  const written = rc.all.filter(c => c !== rc.deleting).length > 0;
  if (isTrue(rc.succeeded) || isTrue(rc.service)) return 'ready';
  if (isTrue(rc.resource) || (!hasCompute && written)) return 'service';
  if (written) return 'nodes';
  return 'resources';
}

/** Resources -> Nodes (with compute) -> Service -> Ready, each with its condition's time and words. */
export function ragSteps(x: RagStepInput): ReadinessStep[] {
  const { rc, phase, failed } = x;
  const ids = ORDER.filter(id => id !== 'nodes' || x.hasCompute);
  let current: RagStepId | undefined;
  if (phase === 'Failed') current = failed ?? 'service';
  else if (phase === 'Deleting') current = reached(rc, x.hasCompute);
  else current = ACTIVE_IN[phase];
  const at = current ? ids.indexOf(current) : ids.length;
  const status = (id: RagStepId): StepStatus => {
    const i = ids.indexOf(id);
    if (i < at) return 'done';
    if (i > at) return 'pending';
    if (phase === 'Failed') return 'failed';
    if (phase === 'Deleting')
      return id === 'ready' && isTrue(rc.succeeded) ? 'done' : 'pending';
    return 'active';
  };
  const nodeCond =
    rc.nodeClaim && !isTrue(rc.resource) ? rc.nodeClaim : rc.resource;
  const failedOn = (id: RagStepId, c?: KubeCondition) =>
    phase === 'Failed' && failed === id && c && c.status === 'True'
      ? undefined
      : c;
  const steps: ReadinessStep[] = [];
  for (const id of ids) {
    const st = status(id);
    if (id === 'resources') {
      const first = earliest(rc.all);
      steps.push(
        step(
          'resources',
          'Accepted by KAITO',
          st,
          st === 'done' ? first : undefined,
        ),
      );
    } else if (id === 'nodes') {
      steps.push(
        step(
          'nodes',
          `Provision a ${x.instanceType} node`,
          st,
          failedOn('nodes', nodeCond),
        ),
      );
    } else if (id === 'service') {
      steps.push(
        step(
          'service',
          'Start the RAG engine service',
          st,
          failedOn('service', rc.service),
        ),
      );
    } else {
      steps.push(
        step(
          'ready',
          x.canChat ? 'Ready for retrieval and chat' : 'Ready for retrieval',
          st,
          isTrue(rc.succeeded) ? rc.succeeded : undefined,
        ),
      );
    }
  }
  // The failed step shows the evidence of the failure chosen, not an older progress message.
  const failedStep = steps.find(s => s.status === 'failed');
  if (failedStep && x.failedDetail)
    failedStep.detail = clip(x.failedDetail, 200);
  if (x.deleting)
    steps.push({
      id: 'deleting',
      title: 'Delete',
      status: 'active',
      ...(rc.deleting?.lastTransitionTime
        ? { at: rc.deleting.lastTransitionTime }
        : {}),
    });
  return steps;
}
