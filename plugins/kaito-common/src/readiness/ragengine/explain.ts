import { explain, type Explanation } from '../explain';
import { EARLY_RESTARTS } from '../failure';
import { isReadinessTimeout } from '../conditions';
import { clip, plural } from '../text';
import type { RagSignal } from './signals';

/** What the wording needs besides the signal. */
export interface RagExplainInput {
  name: string;
  instanceType?: string;
  hasCompute: boolean;
  /** spec.embedding.local is set (a model downloaded at start-up). */
  localEmbedding: boolean;
  /** A pod of the RAGEngine, for a `kubectl logs` hint. */
  pod?: string;
}

function detail(sig: RagSignal, max = 160): string {
  return sig.detail ? ` (${clip(sig.detail, max)})` : '';
}

function podOf(sig: RagSignal, x: RagExplainInput): string | undefined {
  return /^pod (\S+)/.exec(sig.source)?.[1] ?? x.pod;
}

function inspect(x: RagExplainInput): string {
  return `read the RAG engine pod's events and log (kubectl describe pod -l kaito.sh/ragengine=${x.name})`;
}

const EMBEDDING_FIX =
  'check spec.embedding (the local model ID, or the remote URL and its accessSecret) and spec.storage.vectorDB';

function crash(sig: RagSignal, x: RagExplainInput): Explanation {
  const restarts = sig.restarts
    ? ` (${plural(sig.restarts, 'restart')} so far)`
    : '';
  if (sig.origin === 'oom')
    return {
      cause: `the RAG engine container was killed for running out of memory${restarts}`,
      fix: x.hasCompute
        ? 'choose a larger spec.compute.instanceType or a smaller embedding model'
        : 'use a smaller local embedding model, or a remote embedding service (spec.embedding.remote)',
    };
  if (sig.origin === 'gatedModel')
    return {
      cause: `the embedding model is a gated Hugging Face model and its download was refused${detail(
        sig,
      )}`,
      fix: 'create a Secret with key HF_TOKEN from an account that accepted the model licence and set spec.embedding.local.modelAccessSecret to its name',
    };
  const pod = podOf(sig, x);
  return {
    cause: `the RAG engine container keeps crashing${restarts}${detail(sig)}`,
    fix: `read its log${
      pod ? ` (kubectl logs ${pod} --previous)` : ''
    } and ${EMBEDDING_FIX}`,
  };
}

function service(sig: RagSignal, x: RagExplainInput): Explanation {
  if (sig.origin === 'startError')
    return {
      cause: `the RAG engine container cannot start${detail(sig)}`,
      fix: /secret/i.test(sig.detail)
        ? 'create the Secret the RAGEngine references (spec.embedding.*.accessSecret, modelAccessSecret or spec.inferenceService.accessSecret), or correct its name'
        : 'check the Secrets and ConfigMaps the RAGEngine references',
    };
  if (isReadinessTimeout(sig.detail))
    return {
      cause: `the RAG engine Deployment ${x.name} did not become ready within KAITO's 10-minute wait`,
      fix: `${inspect(
        x,
      )}; a large local embedding model may only need more time`,
    };
  if (/not progressing/i.test(sig.detail))
    return {
      cause: `the RAG engine Deployment is not progressing${detail(sig)}`,
      fix: `${inspect(x)} and ${EMBEDDING_FIX}`,
    };
  if (sig.source.includes('ragEngineFailed'))
    return {
      cause: `KAITO cannot create the Service ${x.name}${detail(sig)}`,
      fix: 'check that no other Service of that name exists in the namespace and that KAITO may create Services there',
    };
  return {
    cause: `the RAG engine service failed${detail(sig)}`,
    fix: `${inspect(x)} and ${EMBEDDING_FIX}`,
  };
}

/** The cause and the fix for one RAGEngine failure. */
export function explainRag(sig: RagSignal, x: RagExplainInput): Explanation {
  switch (sig.kind) {
    case 'quota':
    case 'provisioning':
      // The Workspace wording (quota family, provisioner permissions) holds for the RAGEngine's node.
      return explain(
        { ...sig, kind: sig.kind },
        {
          instanceType: x.instanceType,
          hasAccessSecret: false,
          gated: false,
          degraded: false,
        },
      );
    case 'resource':
      if (
        /forbidden|unauthori[sz]ed|cannot (get|list|update|create|patch)/i.test(
          sig.detail,
        )
      )
        return {
          cause: `the KAITO RAGEngine controller lacks a permission${detail(
            sig,
          )}`,
          fix: "grant it in the controller's ClusterRole (reinstall or upgrade the kaito ragengine Helm chart)",
        };
      return {
        cause: `KAITO cannot prepare the RAGEngine's node${detail(sig)}`,
        fix: 'check that spec.compute.labelSelector matches only ready nodes of spec.compute.instanceType and that the NVIDIA device plugin runs on them',
      };
    case 'imagePull':
      return {
        cause: `the RAG engine image cannot be pulled${detail(sig)}`,
        fix: x.localEmbedding
          ? 'check spec.embedding.local.image and spec.embedding.local.imagePullSecret, and that the cluster can reach the registry'
          : 'check that the cluster can reach the registry of the KAITO RAG engine image (mcr.microsoft.com)',
      };
    case 'crashLoop':
      return crash(sig, x);
    case 'unschedulable':
      return {
        cause: `the RAG engine pod cannot be scheduled${detail(sig)}`,
        fix: x.hasCompute
          ? 'check that spec.compute.labelSelector matches a ready node with free resources'
          : 'make room for it (free CPU and memory on a node) or add a node',
      };
    case 'service':
      return service(sig, x);
    default:
      return {
        cause: `${sig.source} reports a problem${detail(sig)}`,
        fix: `read the RAGEngine's events (kubectl describe ragengine ${x.name})`,
      };
  }
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** `Cause; fix.` as one sentence. */
export function ragSentence(e: Explanation): string {
  return e.fix ? `${capital(e.cause)}; ${e.fix}.` : `${capital(e.cause)}.`;
}

/** A failure KAITO or Kubernetes retries on its own, as one sentence. */
export function retryingSentence(sig: RagSignal, e: Explanation): string {
  if (sig.kind === 'crashLoop' && !sig.origin)
    return `The RAG engine container crashed${
      sig.exitCode !== undefined ? ` (exit code ${sig.exitCode})` : ''
    } and Kubernetes is restarting it${
      sig.restarts ? ` (attempt ${sig.restarts + 1})` : ''
    }; it counts as failed after ${plural(EARLY_RESTARTS, 'restart')}.`;
  if (/retrying/.test(e.cause)) return `${capital(e.cause)}.`;
  return `${capital(e.cause)}; ${
    sig.kind === 'unschedulable' ? 'Kubernetes' : 'KAITO'
  } retries on its own${e.fix ? `, and if it persists ${e.fix}` : ''}.`;
}
