import type { NodeClaim } from '../types/kube';
import { isProgressReason, launchErrorRetries } from './conditions';
import { classifyText, type Signal } from './signal';

const STAGES = ['Launched', 'Registered', 'Initialized'];

/**
 * Failures on Karpenter NodeClaims. Karpenter v1 records a failed launch,
 * quota errors included, as `Launched=Unknown` reason `LaunchFailed` with the
 * cloud error as message, and retries (gpu-provisioner v0.3–v0.4, vendored
 * karpenter `pkg/controllers/nodeclaim/lifecycle/launch.go`). Any non-True
 * lifecycle condition with an error reason counts, earliest stage first.
 */
export function nodeClaimSignals(
  nodeClaims: NodeClaim[] | undefined,
): Signal[] {
  const out: Signal[] = [];
  for (const stage of STAGES) {
    for (const nc of nodeClaims ?? []) {
      if (!nc || typeof nc !== 'object' || nc.metadata?.deletionTimestamp)
        continue;
      for (const c of nc.status?.conditions ?? []) {
        if (c.type !== stage || c.status === 'True') continue;
        const reason = c.reason ?? '';
        const message = (c.message ?? '').trim();
        if (!message || isProgressReason(reason)) continue;
        const text = `${reason} ${message}`;
        const kind = classifyText(text);
        const failed =
          kind === 'quota' ||
          /Failed$/.test(reason) ||
          /fail|error|insufficient|unauthori[sz]ed|forbidden/i.test(text);
        if (!failed) continue;
        out.push({
          kind: kind === 'quota' ? 'quota' : 'provisioning',
          source: `NodeClaim ${nc.metadata?.name ?? '?'} ${c.type}=${c.status}${
            reason ? ` (${reason})` : ''
          }`,
          detail: message,
          at: c.lastTransitionTime,
          retrying: kind !== 'quota' && launchErrorRetries(text),
        });
      }
    }
  }
  return out;
}
