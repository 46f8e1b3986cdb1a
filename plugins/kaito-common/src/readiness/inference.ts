import { servedModelName } from '../catalog/models';
import { isMirrorFailure, isTrue, splitReconcileError } from './conditions';
import { pick, POD_KINDS, type Signal } from './signal';
import { clip, verbatim } from './text';
import { minutes, phaseTiming } from './timing';
import { type Facts, type Verdict, nodesText, note } from './facts';
import {
  failureVerdict,
  retryingVerdict,
  isEarlyCrash,
  conditionMessage,
} from './failure';

function readyVerdict(f: Facts): Verdict {
  const served = f.model ? servedModelName(f.model) : undefined;
  return {
    phase: 'Ready',
    reason: `Serving ${served ?? 'the model'} with ${
      f.runtime === 'vllm' ? 'vLLM' : 'Hugging Face Transformers'
    } on ${nodesText(f)}.`,
    outcome: 'ready',
    since:
      f.c('WorkspaceSucceeded')?.lastTransitionTime ??
      f.c('InferenceReady')?.lastTransitionTime,
  };
}

/** Inference: Ready, Degraded, Failed or a progress phase. */
export function inferenceVerdict(f: Facts, signals: Signal[]): Verdict {
  const { c, state } = f;
  const summary = c('WorkspaceSucceeded');
  const inference = c('InferenceReady');
  const reportedReady =
    state === 'Ready' ||
    (state === undefined && isTrue(summary)) ||
    (state === undefined &&
      !summary &&
      isTrue(inference) &&
      isTrue(c('ResourceReady')));
  const podProblem = pick(f.pods.signals, POD_KINDS);

  // Serving by KAITO's account: live pods may contradict it (≤ 0.8 never recomputed, kaito#1493, #931).
  if (
    reportedReady ||
    (isTrue(inference) && state !== 'Pending' && state !== 'Failed')
  ) {
    if (podProblem)
      return failureVerdict(f, podProblem, signals, 'Degraded', 'inference');
    const bench = pick(signals, ['benchmark']);
    if (bench)
      return failureVerdict(f, bench, signals, 'Degraded', 'inference');
    if (state === 'NotReady') return regressed(f, signals);
    if (reportedReady) return readyVerdict(f);
  }
  // v0.9+: Ready once, not any more.
  if (state === 'NotReady') return regressed(f, signals);

  const failure = pick(signals.filter(s => s.kind !== 'benchmark'));
  if (failure) {
    if (isEarlyCrash(f, failure))
      return { ...retryingVerdict(f, failure, signals, 'StartingInference') };
    if (failure.kind === 'provisioning' && failure.retrying)
      return provisioning(
        f,
        retryingVerdict(f, failure, signals, 'ProvisioningNodes'),
      );
    return failureVerdict(f, failure, signals, 'Failed', 'inference');
  }
  if (state === 'Failed') return genericFailed(f);
  return progress(f);
}

function regressed(f: Facts, signals: Signal[]): Verdict {
  const failure = pick(signals.filter(s => s.kind !== 'benchmark'));
  if (failure)
    return failureVerdict(f, failure, signals, 'Degraded', 'inference');
  const text = splitReconcileError(f.c('InferenceReady')?.message).text;
  return failureVerdict(
    f,
    {
      kind: 'regressed',
      source: 'condition InferenceReady',
      detail: text,
      fromKaito: true,
      at: f.c('InferenceReady')?.lastTransitionTime,
    },
    signals,
    'Degraded',
    'inference',
  );
}

function genericFailed(f: Facts): Verdict {
  const msg = ['InferenceReady', 'WorkspaceSucceeded', 'ResourceReady']
    .map(t => f.c(t))
    .find(x => x && x.status !== 'True' && splitReconcileError(x.message).text);
  const text = msg ? splitReconcileError(msg.message).text : '';
  const fix = 'check its conditions and pods';
  return {
    phase: 'Failed',
    reason: `KAITO marked the Workspace failed${
      text ? `: ${clip(text, 200)}` : ''
    }; ${fix}.`,
    outcome: 'terminal',
    failed: 'inference',
    cause: 'other',
    fix,
    ...(msg?.message
      ? { kaitoMessage: verbatim(`condition ${msg.type}`, msg.message) }
      : {}),
  };
}

/** Since when the nodes have been ready (start of the weights / start-up phases). */
function nodesReadySince(f: Facts): string | undefined {
  const rr = f.c('ResourceReady');
  if (isTrue(rr)) return rr!.lastTransitionTime;
  const nr = f.c('NodesReady');
  if (isTrue(nr)) return nr!.lastTransitionTime;
  return f.pods.startedAt ?? f.ws.metadata.creationTimestamp;
}

export function provisioning(f: Facts, retry?: Verdict): Verdict {
  const created = f.ws.metadata.creationTimestamp;
  const t = phaseTiming('ProvisioningNodes', created, f.nowMs);
  const kaito = conditionMessage(
    f,
    'NodeClaimReady',
    'ResourceReady',
    'NodesReady',
  );
  if (retry)
    return {
      ...retry,
      since: created,
      ...(!retry.kaitoMessage && kaito ? { kaitoMessage: kaito } : {}),
    };
  const plugins = f.c('NodesReady')?.reason === 'NodePluginsNotReady';
  const nc = splitReconcileError(f.c('NodeClaimReady')?.message).text;
  let reason: string;
  if (plugins) {
    reason = `The GPU nodes are up; waiting for the GPU device plugin to be ready on them.${note(
      f,
    )}`;
  } else if (t.slow) {
    const blind = !f.profile.surfacesNodeClaimErrors && !f.hasNodeClaims;
    reason = `Still provisioning ${nodesText(f)} after ${minutes(
      t.seconds ?? 0,
    )}; ${
      blind
        ? 'this KAITO release does not copy node launch errors to the Workspace, so check its NodeClaims (kubectl get nodeclaims -l kaito.sh/workspace) for quota or capacity errors'
        : 'check the NodeClaims for quota or capacity errors'
    }.${note(f)}`;
  } else {
    reason = `Provisioning ${nodesText(f)}${
      nc ? ` (${clip(nc, 100)})` : ''
    }; this usually takes 5 to 15 minutes.${note(f)}`;
  }
  return {
    phase: 'ProvisioningNodes',
    reason,
    outcome: 'progress',
    since: created,
    ...(kaito ? { kaitoMessage: kaito } : {}),
  };
}

/** In-progress phases, from conditions and pod evidence. */
export function progress(f: Facts): Verdict {
  const { c } = f;
  const created = f.ws.metadata.creationTimestamp;
  if (f.conds.length === 0) {
    return {
      phase: 'Pending',
      reason: `Waiting for the KAITO controller to start on the Workspace.${note(
        f,
      )}`,
      outcome: 'progress',
      since: created,
    };
  }
  const model = f.model ?? 'the model';
  const size = f.modelInfo ? ` (${f.modelInfo.weightSizeGiB} GiB)` : '';
  const mirror = c('ModelMirrorReady');
  const mirrorDownloading =
    c('ResourceReady')?.reason === 'ModelMirrorNotReady' ||
    (mirror !== undefined &&
      mirror.status !== 'True' &&
      !isMirrorFailure(mirror));
  if (!isTrue(c('ResourceReady')) && !mirrorDownloading) return provisioning(f);
  const since = nodesReadySince(f);
  if (mirrorDownloading) {
    return {
      phase: 'DownloadingWeights',
      reason: `The GPU nodes are ready; KAITO is downloading ${model}${size} into its model mirror (model streaming), which can take 10 to 60 minutes for large models.${note(
        f,
      )}`,
      outcome: 'progress',
      since: mirror?.lastTransitionTime ?? since,
      ...(conditionMessage(f, 'ModelMirrorReady', 'ResourceReady')
        ? {
            kaitoMessage: conditionMessage(
              f,
              'ModelMirrorReady',
              'ResourceReady',
            ),
          }
        : {}),
    };
  }
  const kaito = conditionMessage(f, 'InferenceReady');
  const base = {
    outcome: 'progress' as const,
    since,
    ...(kaito ? { kaitoMessage: kaito } : {}),
  };
  if (isTrue(c('InferenceReady'))) {
    return {
      ...base,
      phase: 'StartingInference',
      reason: `The inference server is up; KAITO is finishing its checks (post-load benchmark) before marking it ready.${note(
        f,
      )}`,
    };
  }
  if (f.pods.loading && f.pods.benchmarkProbe) {
    return {
      ...base,
      phase: 'StartingInference',
      reason: `The inference server is loading ${model}${size}; KAITO's post-load benchmark runs in its startup probe, and the Workspace becomes ready when both finish.${note(
        f,
      )}`,
    };
  }
  if ((f.pods.pulling || f.pods.loading) && !f.pods.startedNotReady) {
    return {
      ...base,
      phase: 'DownloadingWeights',
      reason: `The GPU nodes are ready; pulling the inference image and downloading ${model} weights${size}, which can take 10 to 60 minutes for large models.${note(
        f,
      )}`,
    };
  }
  return {
    ...base,
    phase: 'StartingInference',
    reason: `The GPU nodes are ready; the inference server is loading ${model}${size} and becomes ready when its health check passes.${note(
      f,
    )}`,
  };
}

/** Tuning: Succeeded, Failed, TuningRunning or a progress phase. */
