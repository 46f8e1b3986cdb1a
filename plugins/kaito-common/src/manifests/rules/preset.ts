import {
  findModel,
  RETIRED_PRESET_GPU_MEMORY_GIB,
  RETIRED_PRESET_SUCCESSORS,
  retiredPresetReplacement,
  type ModelInfo,
} from '../../catalog/models';
import { describeModels, similarModels } from '../../catalog/similar';
import { printable } from '../../dns';
import { canonicalPresetName } from '../normalize';
import {
  Issues,
  describeValue,
  optImagePullSecrets,
  optObj,
  optObjectName,
  optString,
  unknownKeys,
} from './issues';

const HF_ID =
  /^[A-Za-z0-9][A-Za-z0-9._-]{0,95}\/[A-Za-z0-9][A-Za-z0-9._-]{0,95}$/;

/** What to use instead of a retired preset, and why that one. */
function retiredAdvice(name: string, tuning: boolean): string {
  const instead = retiredPresetReplacement(name, { tuning });
  if (!instead) return 'pick a model from the catalog';
  if (RETIRED_PRESET_SUCCESSORS[name] === instead.hfId) {
    return `use ${instead.hfId} instead, its successor`;
  }
  return `use ${instead.hfId} instead, a current model of similar size (${instead.weightSizeGiB} GiB of weights; ${name} needed ${RETIRED_PRESET_GPU_MEMORY_GIB[name]} GiB of GPU memory)`;
}

export interface PresetCheck {
  name?: string;
  model?: ModelInfo;
}

/**
 * Checks a PresetSpec: name must be a catalog id, legacy alias, or any
 * `org/model` Hugging Face id (accepted best-effort since KAITO v0.9).
 */
export function checkPreset(
  issues: Issues,
  field: string,
  value: unknown,
  version: 'v1beta1' | 'v1alpha1',
): PresetCheck {
  if (value === undefined) return {};
  const preset = optObj(issues, field, value);
  if (!preset) return {};
  unknownKeys(issues, field, preset, ['name', 'accessMode', 'presetOptions']);

  let name = optString(issues, `${field}.name`, preset.name);
  let model: ModelInfo | undefined;
  if (name === undefined || name.trim() === '') {
    if (preset.name === undefined || typeof preset.name === 'string') {
      issues.add(
        `${field}.name`,
        'is required; use a Hugging Face id such as microsoft/Phi-4-mini-instruct',
      );
    }
    name = undefined;
  } else if (name !== name.trim()) {
    issues.add(
      `${field}.name`,
      `"${printable(
        name,
      )}" has leading or trailing spaces, which KAITO does not strip, so it would not find the model; use "${printable(
        canonicalPresetName(name),
      )}"`,
    );
  } else {
    model = findModel(name);
    const lower = name.toLowerCase();
    if (!model) {
      if (lower in RETIRED_PRESET_GPU_MEMORY_GIB) {
        issues.add(
          `${field}.name`,
          `Model ${printable(
            name,
          )} is deprecated and no longer supported by KAITO; ${retiredAdvice(
            lower,
            field.startsWith('tuning'),
          )}`,
        );
      } else if (!HF_ID.test(name)) {
        const similar = similarModels(name);
        const hint = similar.length
          ? `; did you mean ${describeModels(
              similar,
              name,
            )}? Otherwise use the form`
          : '; use the form';
        issues.add(
          `${field}.name`,
          `"${printable(
            name,
          )}" is neither a catalog model nor a Hugging Face id${hint} <org>/<model>, e.g. microsoft/Phi-4-mini-instruct`,
        );
      }
    }
  }

  if (
    preset.accessMode !== undefined &&
    preset.accessMode !== 'public' &&
    preset.accessMode !== 'private'
  ) {
    issues.add(
      `${field}.accessMode`,
      `must be "public" or "private", got ${describeValue(
        preset.accessMode,
      )} (the field is deprecated; you can remove it)`,
    );
  }

  const options = optObj(
    issues,
    `${field}.presetOptions`,
    preset.presetOptions,
  );
  if (options) {
    unknownKeys(issues, `${field}.presetOptions`, options, [
      'image',
      'imagePullSecrets',
      'modelAccessSecret',
    ]);
    optString(issues, `${field}.presetOptions.image`, options.image);
    optImagePullSecrets(
      issues,
      `${field}.presetOptions.imagePullSecrets`,
      options.imagePullSecrets,
    );
    if (options.modelAccessSecret !== undefined) {
      if (version === 'v1alpha1') {
        issues.add(
          `${field}.presetOptions.modelAccessSecret`,
          'exists only in kaito.sh/v1beta1; change apiVersion to kaito.sh/v1beta1',
        );
      } else {
        optObjectName(
          issues,
          `${field}.presetOptions.modelAccessSecret`,
          options.modelAccessSecret,
          'Secret name',
        );
      }
    }
  }
  return { name, model };
}
