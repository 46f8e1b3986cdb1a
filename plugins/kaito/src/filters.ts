import type { Entity } from '@backstage/catalog-model';
import {
  KAITO_EXTERNAL_TARGET_ANNOTATION,
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
