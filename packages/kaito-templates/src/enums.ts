import {
  MODEL_CATALOG,
  TUNABLE_MODELS,
  supportedSkus,
} from '@kaito-backstage/plugin-kaito-common';

/**
 * The lists the templates' forms offer, derived from kaito-common's catalog
 * so the templates never disagree with the actions that validate them.
 * Keys are the names used in `# generated:<key>` markers.
 */
export function generatedLists(): Record<string, string[]> {
  return {
    /** Every model KAITO's curated catalog serves. */
    models: MODEL_CATALOG.map(m => m.hfId),
    /** Models that need a Hugging Face token (`presetOptions.modelAccessSecret`). */
    'gated-models': MODEL_CATALOG.filter(m => m.gated).map(m => m.hfId),
    /** Models KAITO can fine-tune with LoRA / QLoRA. */
    'tunable-models': [...TUNABLE_MODELS],
    /** GPU sizes the current KAITO accepts on Azure (retired sizes left out). */
    'instance-types': supportedSkus('azure').map(s => s.instanceType),
  };
}
