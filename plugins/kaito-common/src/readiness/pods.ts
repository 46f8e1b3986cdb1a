import type { ContainerStatus, KubePod } from '../types/kube';
import { PATTERNS, type Signal } from './signal';

/** Restarts at or above which a running inference pod counts as a restart storm. */
export const RESTART_STORM_THRESHOLD = 5;

/** An OOM kill older than this on a container that runs again is history, not a failure. */
const OOM_MEMORY_MS = 60 * 60 * 1000;

export interface PodFacts {
  signals: Signal[];
  /** Some main container runs but has not passed its startup probe. */
  loading: boolean;
  /** Some container is being created / its image pulled. */
  pulling: boolean;
  /** Some main container has started (startup probe passed) but is not ready. */
  startedNotReady: boolean;
  /** The pod's startup probe runs KAITO's post-load benchmark (v0.10+). */
  benchmarkProbe: boolean;
  /** Highest restart count of any container. */
  maxRestarts: number;
  /** Earliest pod start, ISO 8601. */
  startedAt?: string;
  anyPod: boolean;
  /** Pods that ended in failure (phase Failed, not evicted): a tuning Job's pod that gave up. */
  failed: Signal[];
  /** Names of the pods seen, crash-looping ones first. */
  names: string[];
}

const START_ERRORS =
  /CreateContainerConfigError|CreateContainerError|RunContainerError|PreStartHookError|PostStartHookError|PreCreateHookError/;

function hasBenchmarkProbe(pod: KubePod): boolean {
  const containers = (pod.spec as { containers?: unknown } | undefined)
    ?.containers;
  if (!Array.isArray(containers)) return false;
  return containers.some(c => {
    const cmd = (c as { startupProbe?: { exec?: { command?: unknown } } })
      ?.startupProbe?.exec?.command;
    return Array.isArray(cmd) && cmd.join(' ').includes('benchmark_entrypoint');
  });
}

function containerSignal(
  cs: ContainerStatus,
  source: string,
  nowMs: number,
): Signal | undefined {
  const restarts = cs.restartCount ?? 0;
  const waiting = cs.state?.waiting;
  const term = cs.state?.terminated;
  const last = cs.lastState?.terminated;
  const lastMsg = [last?.reason, last?.message].filter(Boolean).join(': ');
  const exit = term?.exitCode ?? last?.exitCode;
  const base = {
    source,
    restarts,
    ...(exit !== undefined ? { exitCode: exit } : {}),
  };
  const texts = [
    waiting?.reason,
    waiting?.message,
    term?.reason,
    term?.message,
    last?.message,
  ]
    .filter(Boolean)
    .join(' ');
  if (PATTERNS.GATED.test(texts)) {
    return {
      ...base,
      kind: 'gatedModel',
      detail: (term?.message || last?.message || waiting?.message || '').trim(),
    };
  }
  if (waiting?.reason && PATTERNS.IMAGE_PULL.test(waiting.reason)) {
    return {
      ...base,
      kind: 'imagePull',
      detail: `${waiting.reason}: ${waiting.message ?? ''}`.trim(),
    };
  }
  if (term?.reason === 'OOMKilled' || last?.reason === 'OOMKilled') {
    const at = (term ?? last)?.finishedAt;
    const recent =
      !at ||
      nowMs - Date.parse(at) < OOM_MEMORY_MS ||
      waiting?.reason === 'CrashLoopBackOff';
    if (recent)
      return {
        ...base,
        kind: 'oom',
        detail: 'OOMKilled',
        ...(at ? { at } : {}),
      };
  }
  if (waiting?.reason === 'CrashLoopBackOff') {
    // The last exit as the kubelet records it: a bare reason ("Error") says nothing without its exit code.
    const lastExit =
      last?.message || last?.exitCode === undefined
        ? lastMsg
        : `${last.reason ?? 'exited'}, exit code ${last.exitCode}`;
    return {
      ...base,
      kind: 'crashLoop',
      detail: lastExit || waiting.message || 'CrashLoopBackOff',
    };
  }
  if (waiting?.reason && START_ERRORS.test(waiting.reason)) {
    return {
      ...base,
      kind: 'startError',
      detail: `${waiting.reason}: ${waiting.message ?? ''}`.trim(),
    };
  }
  if (restarts >= RESTART_STORM_THRESHOLD) {
    return {
      ...base,
      kind: 'crashLoop',
      detail: lastMsg
        ? `restarted ${restarts} times; last exit ${lastMsg}`
        : `restarted ${restarts} times`,
    };
  }
  return undefined;
}

/** Reads pods: crash loops, OOM kills, pulls, restart storms, gated-model errors, probes. */
export function podFacts(pods: KubePod[] | undefined, nowMs: number): PodFacts {
  const facts: PodFacts = {
    signals: [],
    loading: false,
    pulling: false,
    startedNotReady: false,
    benchmarkProbe: false,
    maxRestarts: 0,
    anyPod: false,
    names: [],
    failed: [],
  };
  for (const pod of pods ?? []) {
    if (!pod || typeof pod !== 'object') continue;
    facts.anyPod = true;
    if (hasBenchmarkProbe(pod)) facts.benchmarkProbe = true;
    const podName = pod.metadata?.name ?? '?';
    const crashing = (status =>
      [...(status?.containerStatuses ?? [])].some(
        cs => (cs.restartCount ?? 0) > 0,
      ))(pod.status);
    if (crashing) facts.names.unshift(podName);
    else facts.names.push(podName);
    const status = pod.status ?? {};
    if (
      status.startTime &&
      (!facts.startedAt || status.startTime < facts.startedAt)
    )
      facts.startedAt = status.startTime;
    if (status.phase === 'Failed' && status.reason !== 'Evicted') {
      const term = status.containerStatuses?.find(cs => cs.state?.terminated)
        ?.state?.terminated;
      facts.failed.push({
        kind: 'tuningFailed',
        source: `pod ${podName}`,
        detail: [
          term?.reason,
          term?.exitCode !== undefined
            ? `exit code ${term.exitCode}`
            : undefined,
          term?.message,
        ]
          .filter(Boolean)
          .join(', '),
        ...(term?.exitCode !== undefined ? { exitCode: term.exitCode } : {}),
        ...(term?.finishedAt ? { at: term.finishedAt } : {}),
      });
    }
    if (status.reason === 'Evicted') {
      const msg = status.message ?? 'evicted';
      facts.signals.push({
        kind: /ephemeral-storage|disk|memory/i.test(msg)
          ? 'nodePressure'
          : 'evicted',
        source: `pod ${podName}`,
        detail: msg,
      });
    }
    for (const cs of [
      ...(status.initContainerStatuses ?? []),
      ...(status.containerStatuses ?? []),
    ]) {
      facts.maxRestarts = Math.max(facts.maxRestarts, cs.restartCount ?? 0);
      const sig = containerSignal(
        cs,
        `pod ${podName} container ${cs.name}`,
        nowMs,
      );
      if (sig) {
        facts.signals.push(sig);
        continue;
      }
      const waiting = cs.state?.waiting?.reason;
      if (waiting === 'ContainerCreating' || waiting === 'PodInitializing')
        facts.pulling = true;
      if (cs.state?.running && !cs.ready) {
        if (cs.started === true) facts.startedNotReady = true;
        else facts.loading = true;
      }
    }
    if (!status.containerStatuses?.length && status.phase === 'Pending') {
      const unsched = status.conditions?.find(
        c => c.type === 'PodScheduled' && c.status === 'False',
      );
      if (unsched)
        facts.signals.push({
          kind: 'unschedulable',
          source: `pod ${podName}`,
          detail: (unsched.message ?? unsched.reason ?? 'Unschedulable').trim(),
          retrying: true,
        });
      else facts.pulling = true;
    }
  }
  return facts;
}
