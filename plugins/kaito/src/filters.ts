import type { Entity } from '@backstage/catalog-model';
import {
  KAITO_EXTERNAL_TARGET_ANNOTATION,
  KAITO_RAGENGINE_ANNOTATION,
  KAITO_WORKSPACE_ANNOTATION,
} from '@kaito-backstage/plugin-kaito-common';

/**
 * True for entities the KAITO cards apply to: those with a `kaito.sh/workspace` or a
 * `kaito.sh/external-target` annotation. Use it with `EntitySwitch.Case if={...}`.
 *
 * @public
 */
export function isKaitoEntity(entity: Entity): boolean {
  const annotations = entity.metadata.annotations ?? {};
  return (
    annotations[KAITO_WORKSPACE_ANNOTATION] !== undefined ||
    annotations[KAITO_EXTERNAL_TARGET_ANNOTATION] !== undefined
  );
}

/**
 * True for entities with a KAITO RAGEngine (`kaito.sh/ragengine`): the RAGEngine readiness card
 * and the RAG documents card apply to them. Use it with `EntitySwitch.Case if={...}`.
 *
 * @public
 */
export function isKaitoRagEngineAvailable(entity: Entity): boolean {
  return (
    entity.metadata.annotations?.[KAITO_RAGENGINE_ANNOTATION] !== undefined
  );
}

/**
 * True for entities the chat applies to: a Workspace, an external target or a RAGEngine.
 *
 * @public
 */
export function isKaitoChatAvailable(entity: Entity): boolean {
  return isKaitoEntity(entity) || isKaitoRagEngineAvailable(entity);
}
