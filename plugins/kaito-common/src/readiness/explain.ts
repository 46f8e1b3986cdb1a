import { findSku } from '../catalog/skus';
import type { Signal } from './signal';
import { clip, plural } from './text';
import type { ContainerLogTail } from './types';

export interface ExplainInput {
  model?: string;
  instanceType?: string;
  /** The Workspace names a modelAccessSecret. */
  hasAccessSecret: boolean;
  /** The catalog says the model is gated. */
  gated: boolean;
  /** KAITO still calls the Workspace ready (Degraded wording). */
  degraded: boolean;
  log?: ContainerLogTail;
  /** The release runs the benchmark only on request (`kaito.sh/run-benchmark`, KAITO 0.10). */
  benchmarkOptIn?: boolean;
  /** A pod of the Workspace whose log to read, when the signal names none. */
  pod?: string;
}

export interface Explanation {
  /** What is wrong, in a user's words. */
  cause: string;
  /** What to do (absent when nothing is asked of the user). */
  fix?: string;
}

function restartsText(sig: Signal): string {
  return sig.restarts ? ` (${plural(sig.restarts, 'restart')} so far)` : '';
}

function detailText(sig: Signal, max = 160): string {
  return sig.detail ? ` (${clip(sig.detail, max)})` : '';
}

function podOf(sig: Signal): string | undefined {
  const m = /^pod (\S+)/.exec(sig.source);
  return m?.[1];
}

const gatedFix = (model: string) =>
  `create a Secret with key HF_TOKEN from a Hugging Face account that accepted ${model}'s license, and set inference.preset.presetOptions.modelAccessSecret to its name`;

const OOM_FIX =
  'choose a larger instance type, or lower vllm max-model-len in the inference config ConfigMap';

function logFix(cause: ContainerLogTail['cause'], model: string): string {
  if (cause === 'oom') return OOM_FIX;
  if (cause === 'unsupportedArchitecture')
    return 'choose a model the KAITO release supports, or a newer KAITO release';
  return gatedFix(model);
}

/** "the X family", without doubling a name that already ends in "Family" (Azure's own names do). */
function familyText(family: string): string {
  return /family$/i.test(family.trim())
    ? `the ${family.trim()}`
    : `the ${family.trim()} family`;
}

/** The cause and the fix for one failure, per kind. */
export function explain(sig: Signal, x: ExplainInput): Explanation {
  const model = x.model ?? 'the model';
  const sku = x.instanceType ? findSku(x.instanceType) : undefined;
  const lead = x.degraded ? 'KAITO reports the Workspace ready, but ' : '';
  switch (sig.kind) {
    case 'quota':
      return {
        cause: `${lead}GPU nodes cannot be created because the Azure quota is exhausted${detailText(
          sig,
        )}`,
        fix: `request more quota${
          sku?.quotaFamily ? ` for ${familyText(sku.quotaFamily)}` : ''
        } in that region, or choose another instance type`,
      };
    case 'provisioning':
      return sig.retrying
        ? {
            cause: `${lead}a GPU node launch failed and the node provisioner is retrying${detailText(
              sig,
            )}`,
          }
        : {
            cause: `${lead}GPU node provisioning failed${detailText(sig)}`,
            fix: "check the node provisioner's permissions and that the instance type is offered in the region, or choose another instance type",
          };
    case 'oom':
      return {
        cause: `${lead}the inference container was killed for running out of memory${restartsText(
          sig,
        )}`,
        fix: 'choose a larger instance type, or lower vllm max-model-len in the inference config ConfigMap',
      };
    case 'imagePull':
      return {
        cause: `${lead}an image cannot be pulled${detailText(sig)}`,
        fix: 'check the image name and tag, and that imagePullSecrets grant access to the registry',
      };
    case 'gatedModel':
      return {
        cause: `${lead}${model} is a gated Hugging Face model and the download was refused${
          x.log?.cause === 'gatedModel'
            ? ' (seen in the container log)'
            : detailText(sig)
        }`,
        fix: gatedFix(model),
      };
    case 'crashLoop': {
      const pod = podOf(sig) ?? x.pod;
      if (x.log?.causeText)
        return {
          cause: `${lead}the inference container keeps crashing${restartsText(
            sig,
          )}: ${x.log.causeText}`,
          fix: logFix(x.log.cause, model),
        };
      if (x.gated && !x.hasAccessSecret)
        return {
          cause: `${lead}the inference container keeps crashing${restartsText(
            sig,
          )}${detailText(
            sig,
          )}; ${model} is gated and the Workspace names no modelAccessSecret, which is the likely cause`,
          fix: gatedFix(model),
        };
      return {
        cause: `${lead}the inference container keeps crashing${restartsText(
          sig,
        )}${detailText(sig)}`,
        fix: `read the inference container's log${
          pod ? ` (kubectl logs ${pod} --previous)` : ''
        } for the cause`,
      };
    }
    case 'startError':
      return {
        cause: `${lead}the inference container cannot start${detailText(sig)}`,
        fix: /secret/i.test(sig.detail)
          ? 'create the Secret the Workspace references (for a gated model, a Secret with key HF_TOKEN), or correct its name'
          : 'check the referenced Secrets and ConfigMaps and the container command',
      };
    case 'nodePressure':
      return {
        cause: `${lead}the GPU node is under disk or memory pressure${detailText(
          sig,
        )}`,
        fix: 'free disk space (model weights need room) or use a size with local NVMe',
      };
    case 'evicted':
      return {
        cause: `${lead}the inference pod was evicted${detailText(
          sig,
        )}; Kubernetes recreates it`,
        fix: 'if it repeats, use a larger instance type',
      };
    case 'unschedulable':
      return {
        cause: `${lead}the inference pod cannot be scheduled yet${detailText(
          sig,
        )}`,
        fix: 'check that resource.labelSelector matches the GPU nodes and that they have free GPUs',
      };
    case 'modelDownload':
      return {
        cause: `${lead}the model download failed${detailText(sig, 200)}`,
        fix: 'check the model id, the storage class and service account used for model streaming, and the access Secret for gated models; then recreate the Workspace',
      };
    case 'readinessTimeout':
      return {
        cause: `${lead}the inference server did not become ready within KAITO's 30-minute wait; KAITO keeps retrying`,
        fix: "read the inference pod's events and log for the cause (a large model may only need more time)",
      };
    case 'tuningFailed':
      return {
        cause: `The tuning job failed${detailText(sig)}`,
        fix: "read the tuning pod's log, check the input data URL or image and the push Secret, then recreate the Workspace",
      };
    case 'benchmark':
      return {
        cause: `The model serves, but KAITO's post-load benchmark failed${detailText(
          sig,
        )}, so KAITO marks the Workspace not ready`,
        fix: x.benchmarkOptIn
          ? 'chat works meanwhile; to skip the benchmark, remove the annotation kaito.sh/run-benchmark'
          : 'chat works meanwhile; to skip the benchmark, set the annotation kaito.sh/disable-benchmark: "true"',
      };
    case 'regressed':
      return {
        cause: `The Workspace was ready but its inference pods are not ready any more${detailText(
          sig,
        )}; Kubernetes is restarting them`,
        fix: 'if it does not recover within minutes, read the inference pod events and log',
      };
    case 'reconcile':
      return {
        cause: `${lead}the KAITO controller cannot reconcile the Workspace: ${clip(
          sig.detail,
          200,
        )}`,
        fix: 'fix the Workspace accordingly (for example a larger instance type if GPU memory is too small) and recreate it',
      };
    default:
      return {
        cause: `${lead}${sig.source} reports a problem${detailText(sig)}`,
      };
  }
}

/** `cause; fix.` as one sentence. */
export function sentence(e: Explanation): string {
  return e.fix ? `${e.cause}; ${e.fix}.` : `${e.cause}.`;
}
