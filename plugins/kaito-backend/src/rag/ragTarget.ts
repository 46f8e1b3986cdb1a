import {
  RAGEngine,
  servedModelName,
  workspacePresetName,
} from '@kaito-backstage/plugin-kaito-common';
import {
  RagEngineKey,
  RagEngineState,
  WorkspaceWatcher,
} from '@kaito-backstage/plugin-kaito-node';
import { EntityContext } from '../service/EntityResolver';
import { KaitoHttpError } from '../service/errors';
import { KAITO_RAGENGINE_ANNOTATION } from '@kaito-backstage/plugin-kaito-common';

/** The entity's RAGEngine and index; 404 for an entity without `kaito.sh/ragengine`. */
export function ragOf(ctx: EntityContext): {
  key: RagEngineKey;
  index: string;
} {
  if (ctx.target.kind !== 'ragengine') {
    throw new KaitoHttpError(
      404,
      'no_ragengine',
      `Entity ${ctx.entityRef} has no KAITO RAGEngine; add "${KAITO_RAGENGINE_ANNOTATION}: <namespace>/<name>"`,
    );
  }
  return { key: ctx.target.key, index: ctx.target.index };
}

/** 503, 404 or 409 (with the readiness reason) unless the RAGEngine can serve. */
export function assertRagReady(state: RagEngineState, forChat = false) {
  const ref = `${state.namespace}/${state.name}`;
  if (state.status === 'unavailable') {
    throw new KaitoHttpError(
      503,
      'cluster_unavailable',
      state.message ?? `Cluster '${state.cluster}' is unavailable`,
    );
  }
  if (state.status === 'notFound') {
    throw new KaitoHttpError(
      404,
      'ragengine_not_found',
      state.message ?? `RAGEngine ${ref} was not found`,
    );
  }
  const phase = state.readiness?.phase;
  if (phase !== 'Ready') {
    const reason =
      state.readiness?.reason ?? state.message ?? 'readiness unknown';
    throw new KaitoHttpError(
      409,
      'ragengine_not_ready',
      `RAGEngine ${ref} is not ready (${phase ?? 'unknown'}): ${reason}`,
      {
        type: 'not_ready_error',
        phase: phase ?? 'Unknown',
        reason,
      },
    );
  }
  if (forChat && state.readiness?.canChat === false) {
    throw new KaitoHttpError(
      409,
      'ragengine_retrieve_only',
      `RAGEngine ${ref} has no inference service (spec.inferenceService), so it only retrieves documents; set spec.inferenceService.url to a Workspace to chat`,
      { type: 'not_ready_error', phase: 'Ready' },
    );
  }
}

/**
 * The model the engine's LLM serves, when its `spec.inferenceService.url`
 * names a Workspace on the same cluster (`http://<ws>[.<ns>.svc...]/v1/...`)
 * that the watcher knows; undefined otherwise.
 */
export async function engineModel(
  watcher: WorkspaceWatcher,
  key: RagEngineKey,
  ragengine: RAGEngine | undefined,
): Promise<string | undefined> {
  const url = ragengine?.spec?.inferenceService?.url;
  if (!url) return undefined;
  try {
    const [name, namespace] = new URL(url).hostname.split('.');
    const { workspace } = await watcher.workspace({
      cluster: key.cluster,
      namespace: namespace || key.namespace,
      name,
    });
    const preset = workspace ? workspacePresetName(workspace) : undefined;
    return preset ? servedModelName(preset) : undefined;
  } catch {
    return undefined;
  }
}
