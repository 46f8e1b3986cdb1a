import type { KubeCondition } from '../../types/kube';
import {
  isProgressReason,
  isReadinessTimeout,
  isTransientError,
} from '../conditions';
import { classifyText } from '../signal';
import type { RagSignal } from './signals';

/**
 * The condition types the KAITO RAGEngine controller writes
 * (pkg/ragengine/controllers/ragengine_controller.go, api/v1beta1/condition_types.go).
 * The service outcome has two types: success is written as `ServiceReady`,
 * failure as `RAGEngineServiceReady`; neither ever clears the other.
 */
export const RAG_CONDITION = {
  resource: 'ResourceReady',
  nodeClaim: 'NodeClaimReady',
  serviceSuccess: 'ServiceReady',
  serviceFailure: 'RAGEngineServiceReady',
  succeeded: 'RAGEngineSucceeded',
  deleting: 'RAGEngineDeleting',
} as const;

const KNOWN_TYPES: string[] = Object.values(RAG_CONDITION);

/** The RAGEngine's conditions, read once, with the service pair resolved. */
export interface RagConditions {
  all: KubeCondition[];
  resource?: KubeCondition;
  nodeClaim?: KubeCondition;
  /** Whichever of `ServiceReady` / `RAGEngineServiceReady` states the current truth. */
  service?: KubeCondition;
  /** The other one of the pair, outdated by {@link RagConditions.service}. */
  staleService?: KubeCondition;
  succeeded?: KubeCondition;
  deleting?: KubeCondition;
}

export function isTrue(c: KubeCondition | undefined): boolean {
  return c?.status === 'True';
}

export function isFalse(c: KubeCondition | undefined): boolean {
  return c?.status === 'False';
}

/** Only well-formed conditions (an object with a string type and status). */
export function wellFormed(conditions: unknown): KubeCondition[] {
  if (!Array.isArray(conditions)) return [];
  return conditions.filter(
    (c): c is KubeCondition =>
      !!c &&
      typeof c === 'object' &&
      typeof (c as KubeCondition).type === 'string' &&
      typeof (c as KubeCondition).status === 'string',
  );
}

function time(c: KubeCondition): number {
  return c.lastTransitionTime ? Date.parse(c.lastTransitionTime) : NaN;
}

function message(c: KubeCondition | undefined): string {
  return (c?.message ?? '').trim();
}

/** Whether the summary condition, written in the same reconcile, agrees with `c`. */
function agrees(c: KubeCondition, summary: KubeCondition): boolean {
  if (summary.status === 'True') return c.status === 'True';
  return (
    summary.status === 'False' &&
    c.status === 'False' &&
    message(c) === message(summary)
  );
}

/**
 * Which of two conditions about the same thing holds now: the higher
 * observedGeneration; else the one `RAGEngineSucceeded` agrees with (it is
 * rewritten by every reconcile, while an unchanged status keeps its old
 * lastTransitionTime); else the later lastTransitionTime; on a tie, the
 * failure (a failure never turns into progress).
 */
export function newest(
  a: KubeCondition,
  b: KubeCondition,
  summary?: KubeCondition,
): KubeCondition {
  const ga = a.observedGeneration;
  const gb = b.observedGeneration;
  if (typeof ga === 'number' && typeof gb === 'number' && ga !== gb)
    return ga > gb ? a : b;
  if (summary) {
    const withSummary = [a, b].filter(c => agrees(c, summary));
    if (withSummary.length === 1) return withSummary[0];
  }
  const ta = time(a);
  const tb = time(b);
  if (Number.isFinite(ta) && Number.isFinite(tb) && ta !== tb)
    return ta > tb ? a : b;
  if (b.status !== 'True' && a.status === 'True') return b;
  return a;
}

export function readConditions(conditions: unknown): RagConditions {
  const all = wellFormed(conditions);
  const first = (type: string) => all.find(c => c.type === type);
  const succeeded = first(RAG_CONDITION.succeeded);
  const ok = first(RAG_CONDITION.serviceSuccess);
  const bad = first(RAG_CONDITION.serviceFailure);
  let service = ok ?? bad;
  let staleService: KubeCondition | undefined;
  if (ok && bad) {
    service = newest(ok, bad, succeeded);
    staleService = service === ok ? bad : ok;
  }
  return {
    all,
    resource: first(RAG_CONDITION.resource),
    nodeClaim: first(RAG_CONDITION.nodeClaim),
    ...(service ? { service } : {}),
    ...(staleService ? { staleService } : {}),
    succeeded,
    deleting: first(RAG_CONDITION.deleting),
  };
}

/** Karpenter gave up on every instance type: KAITO stops retrying (a TerminalError). */
const INSTANCE_TYPES_UNAVAILABLE = /instance types were unavailable/i;
const NODE_TEXT = /nodeclaim|instance type|node \S+ is not ready|GPU|launch/i;

/** KAITO requeues after a timeout or an API hiccup; anything else needs the user. */
function nodeRetries(text: string): boolean {
  return /timed out|is not ready/i.test(text) || isTransientError(text);
}

function source(c: KubeCondition): string {
  return `condition ${c.type}${c.reason ? ` (${c.reason})` : ''}`;
}

function signal(
  c: KubeCondition,
  kind: RagSignal['kind'],
  retrying: boolean,
): RagSignal {
  return {
    kind,
    source: source(c),
    detail: message(c) || c.reason || c.type,
    ...(c.lastTransitionTime ? { at: c.lastTransitionTime } : {}),
    retrying,
    fromKaito: true,
    conditionType: c.type,
    ...(typeof c.observedGeneration === 'number'
      ? { generation: c.observedGeneration }
      : {}),
  };
}

function nodeSignal(c: KubeCondition): RagSignal {
  const text = `${c.reason ?? ''} ${message(c)}`;
  if (classifyText(text) === 'quota') return signal(c, 'quota', false);
  return signal(c, 'provisioning', nodeRetries(text));
}

function serviceSignal(c: KubeCondition): RagSignal {
  const text = message(c);
  const byText = classifyText(text);
  if (byText === 'imagePull') return signal(c, 'imagePull', false);
  if (byText === 'quota') return signal(c, 'quota', false);
  return signal(
    c,
    'service',
    isReadinessTimeout(text) ||
      (isTransientError(text) && !/not progressing/i.test(text)),
  );
}

/** What a `RAGEngineSucceeded=False` message is about, when no specific condition says the same. */
function summarySignal(c: KubeCondition, hasCompute: boolean): RagSignal {
  const text = message(c);
  if (classifyText(text) === 'quota') return signal(c, 'quota', false);
  // ensureService failures are the only ones written with a capital E.
  if (c.reason === 'ragEngineFailed') return serviceSignal(c);
  if (hasCompute && NODE_TEXT.test(text)) return nodeSignal(c);
  if (/deployment|service|pod/i.test(text)) return serviceSignal(c);
  return signal(
    c,
    hasCompute ? 'resource' : 'other',
    isTransientError(text) || isReadinessTimeout(text),
  );
}

/**
 * Failures stated by the RAGEngine's own conditions. KAITO writes one error
 * to several conditions (NodeClaimReady, ResourceReady, RAGEngineSucceeded);
 * it is read once, from the most specific. Unknown condition types count
 * when they are False with a failure reason; `Unknown` is progress.
 */
export function conditionSignals(
  rc: RagConditions,
  hasCompute: boolean,
): RagSignal[] {
  const out: RagSignal[] = [];
  const { nodeClaim, resource, service, succeeded } = rc;
  if (isFalse(nodeClaim)) out.push(nodeSignal(nodeClaim!));
  else if (
    nodeClaim?.status === 'Unknown' &&
    !isProgressReason(nodeClaim.reason) &&
    classifyText(`${nodeClaim.reason ?? ''} ${message(nodeClaim)}`) === 'quota'
  )
    out.push(nodeSignal(nodeClaim));
  const seen = () => new Set(out.map(s => s.detail));
  if (isFalse(resource) && !seen().has(message(resource))) {
    const text = `${resource!.reason ?? ''} ${message(resource)}`;
    if (classifyText(text) === 'quota' || INSTANCE_TYPES_UNAVAILABLE.test(text))
      out.push(nodeSignal(resource!));
    else if (/nodeclaim/i.test(text)) out.push(nodeSignal(resource!));
    else
      out.push(
        signal(
          resource!,
          'resource',
          /timed out|is not ready/i.test(text) || isTransientError(text),
        ),
      );
  }
  if (isFalse(service) && !seen().has(message(service)))
    out.push(serviceSignal(service!));
  if (isFalse(succeeded) && !seen().has(message(succeeded)))
    out.push(summarySignal(succeeded!, hasCompute));
  for (const c of rc.all) {
    if (KNOWN_TYPES.includes(c.type) || c.status !== 'False') continue;
    if (/fail|error|invalid|forbidden|denied/i.test(`${c.reason ?? ''}`))
      out.push(signal(c, 'other', isTransientError(message(c))));
  }
  return out;
}
