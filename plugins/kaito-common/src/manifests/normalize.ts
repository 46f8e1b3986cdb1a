import { findModel } from '../catalog/models';
import { findSku } from '../catalog/skus';

/**
 * The catalog lookups trim and ignore case; KAITO and node provisioning do
 * not. The builders normalise their input once with these, then validate and
 * write the same value.
 */

/**
 * The preset name to write: the catalog's own spelling of the HF id or legacy
 * alias that matched (`MICROSOFT/phi-4` -> `microsoft/phi-4`), or the trimmed
 * name for an uncatalogued HF id (whose case Hugging Face keeps).
 */
export function canonicalPresetName(name: string): string {
  const trimmed = name.trim();
  const model = findModel(trimmed);
  if (!model) return trimmed;
  if (model.legacyAlias && trimmed.toLowerCase() === model.legacyAlias) {
    return model.legacyAlias;
  }
  return model.hfId;
}

/** The SKU table's spelling of a known size, or the trimmed name. */
export function canonicalInstanceType(instanceType: string): string {
  const trimmed = instanceType.trim();
  return findSku(trimmed)?.instanceType ?? trimmed;
}

/** Copy of a builder input with `model` and `instanceType` in canonical form (other types left for the rules to report). */
export function normalizeBuildInput<
  T extends { model?: unknown; instanceType?: unknown },
>(input: T): T {
  return {
    ...input,
    ...(typeof input.model === 'string'
      ? { model: canonicalPresetName(input.model) }
      : {}),
    ...(typeof input.instanceType === 'string'
      ? { instanceType: canonicalInstanceType(input.instanceType) }
      : {}),
  };
}
