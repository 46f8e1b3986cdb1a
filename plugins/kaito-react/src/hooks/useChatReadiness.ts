import { Entity } from '@backstage/catalog-model';
import { workspaceServes } from '@kaito-backstage/plugin-kaito-common';
import {
  useKaitoRagEngine,
  type KaitoRagEngineState,
} from './useKaitoRagEngine';
import { useKaitoWorkspace } from './useKaitoWorkspace';

/**
 * Whether an entity's model can take chat requests now, and if not, why.
 *
 * - `ready`: the Workspace is Ready, or the entity uses an external target.
 * - `checking`: readiness is not known yet.
 * - `waiting`: the Workspace exists and is not Ready; `phase` and `reason` from readiness.
 * - `unavailable`: no Workspace can serve (missing or invalid annotation,
 *   Workspace not found, cluster unreachable, permission denied).
 *
 * @public
 */
export interface KaitoChatReadiness {
  state: 'ready' | 'checking' | 'waiting' | 'unavailable';
  /** One sentence for the user; absent when ready. */
  message?: string;
  phase?: string;
  reason?: string;
}

/**
 * Follows the readiness of the entity's Workspace (live, see
 * `useKaitoWorkspace`), or of its RAGEngine when it has `kaito.sh/ragengine`
 * (see `useKaitoRagEngine`), and says whether the chat can be used.
 *
 * @public
 */
export function useChatReadiness(entity: Entity): KaitoChatReadiness {
  const { target, snapshot, error } = useKaitoWorkspace(entity);
  const rag = useKaitoRagEngine(entity);
  if (rag.target.kind !== 'missing') return ragChatReadiness(rag);
  switch (target.kind) {
    case 'external':
      return { state: 'ready' };
    case 'missing':
      return {
        state: 'unavailable',
        message:
          'This entity has no kaito.sh/workspace or kaito.sh/external-target annotation, so there is no model to chat with.',
      };
    case 'invalid':
      return { state: 'unavailable', message: target.message };
    default:
  }
  if (error) {
    return {
      state: 'unavailable',
      message: `Readiness of the workspace could not be read: ${error.message}`,
    };
  }
  if (!snapshot) {
    return {
      state: 'checking',
      message: 'Checking whether the model is ready…',
    };
  }
  if (snapshot.status === 'notFound') {
    return {
      state: 'unavailable',
      message:
        snapshot.message ??
        `Workspace ${snapshot.namespace}/${snapshot.name} was not found on cluster ${snapshot.cluster}.`,
    };
  }
  if (snapshot.status === 'unavailable') {
    return {
      state: 'unavailable',
      message:
        snapshot.message ?? `Cluster ${snapshot.cluster} is unavailable.`,
    };
  }
  const phase = snapshot.readiness?.phase;
  // Ready, or Degraded only by a failed post-load benchmark (the model answers).
  if (workspaceServes(snapshot.readiness)) return { state: 'ready' };
  const reason = snapshot.readiness?.reason ?? snapshot.message;
  return {
    state: 'waiting',
    phase,
    reason,
    message: `Chat opens when the workspace is Ready. It is ${
      phase ?? 'not ready'
    }${reason ? `: ${reason}` : '.'}`,
  };
}

/** Whether a RAGEngine entity can chat: Ready and not retrieve-only. */
function ragChatReadiness(rag: KaitoRagEngineState): KaitoChatReadiness {
  const { target, snapshot, error } = rag;
  if (target.kind === 'invalid') {
    return { state: 'unavailable', message: target.message };
  }
  if (error) {
    return {
      state: 'unavailable',
      message: `Readiness of the RAGEngine could not be read: ${error.message}`,
    };
  }
  if (!snapshot) {
    return {
      state: 'checking',
      message: 'Checking whether the RAGEngine is ready…',
    };
  }
  if (snapshot.status !== 'found' || !snapshot.readiness) {
    return {
      state: 'unavailable',
      message:
        snapshot.message ??
        (snapshot.status === 'unavailable'
          ? `Cluster ${snapshot.cluster} is unavailable.`
          : `RAGEngine ${snapshot.namespace}/${snapshot.name} was not found on cluster ${snapshot.cluster}.`),
    };
  }
  const { phase, reason } = snapshot.readiness;
  if (!snapshot.readiness.canChat) {
    return {
      state: 'unavailable',
      phase,
      reason,
      message:
        'This RAGEngine is retrieve-only (no spec.inferenceService.url), so it has no model to answer with. Set an inference service URL on the RAGEngine to chat; its documents can still be indexed and retrieved.',
    };
  }
  if (phase === 'Ready') return { state: 'ready' };
  return {
    state: 'waiting',
    phase,
    reason,
    message: `Chat opens when the RAGEngine is Ready. It is ${phase}${
      reason ? `: ${reason}` : '.'
    }`,
  };
}
