import { MODEL_CATALOG } from '../../catalog/models';
import { describeModels, similarModels } from '../../catalog/similar';
import { printable } from '../../dns';
import { checkPreset, type PresetCheck } from './preset';
import {
  Issues,
  checkDataUrl,
  checkImageRef,
  describeValue,
  optImagePullSecrets,
  optObj,
  optObjectName,
  optString,
  optStringArray,
  unknownKeys,
} from './issues';

/** HF ids of catalog models KAITO can tune. */
export const TUNABLE_MODELS = MODEL_CATALOG.filter(
  m => m.tuningMethods.length > 0,
).map(m => m.hfId);

function present(v: unknown): boolean {
  return v !== undefined && v !== null;
}

function checkInput(issues: Issues, value: unknown): void {
  const field = 'tuning.input';
  if (value === undefined) {
    issues.add(
      field,
      'is required; give the training data as urls, an image or a volumeSource',
    );
    return;
  }
  const input = optObj(issues, field, value);
  if (!input) return;
  unknownKeys(issues, field, input, [
    'name',
    'urls',
    'image',
    'imagePullSecrets',
    'volumeSource',
  ]);
  const sources = ['urls', 'volumeSource', 'image'].filter(k =>
    present(input[k]),
  );
  if (sources.length !== 1) {
    issues.add(
      field,
      sources.length === 0
        ? 'Exactly one of urls, volumeSource or image must be specified; none is'
        : `Exactly one of urls, volumeSource or image must be specified; found ${sources.join(
            ' and ',
          )}`,
    );
  }
  optString(issues, `${field}.name`, input.name);
  const urls = optStringArray(issues, `${field}.urls`, input.urls);
  if (urls && urls.length === 0)
    issues.add(
      `${field}.urls`,
      'is empty; list at least one https:// URL of a training data file',
    );
  urls?.forEach((u, i) => checkDataUrl(issues, `${field}.urls[${i}]`, u));
  const image = optString(issues, `${field}.image`, input.image);
  if (image !== undefined) checkImageRef(issues, `${field}.image`, image);
  optObj(issues, `${field}.volumeSource`, input.volumeSource);
  optImagePullSecrets(
    issues,
    `${field}.imagePullSecrets`,
    input.imagePullSecrets,
  );
}

function checkOutput(issues: Issues, value: unknown): void {
  const field = 'tuning.output';
  if (value === undefined) {
    issues.add(
      field,
      'is required; give an output image with imagePushSecret, or a volumeSource',
    );
    return;
  }
  const output = optObj(issues, field, value);
  if (!output) return;
  unknownKeys(issues, field, output, [
    'image',
    'imagePushSecret',
    'volumeSource',
  ]);
  const hasImage = present(output.image);
  const hasVolume = present(output.volumeSource);
  if (hasImage === hasVolume) {
    issues.add(
      field,
      hasImage
        ? 'Exactly one of image or volumeSource must be specified; found both'
        : 'Exactly one of image or volumeSource must be specified; none is',
    );
  }
  const image = optString(issues, `${field}.image`, output.image);
  if (image !== undefined) checkImageRef(issues, `${field}.image`, image);
  const secret = optObjectName(
    issues,
    `${field}.imagePushSecret`,
    output.imagePushSecret,
    'Secret name',
  );
  if (hasImage && !present(output.imagePushSecret)) {
    issues.add(
      `${field}.imagePushSecret`,
      'Must specify imagePushSecret with the destination image; name a docker-registry Secret that can push to it',
    );
  }
  if (!hasImage && secret !== undefined) {
    issues.add(
      `${field}.imagePushSecret`,
      'is only used with an output image; remove it or set tuning.output.image',
    );
  }
  optObj(issues, `${field}.volumeSource`, output.volumeSource);
}

/** Validates `tuning` (preset, method, input, output). */
export function checkTuning(
  issues: Issues,
  value: unknown,
  version: 'v1beta1' | 'v1alpha1',
): PresetCheck {
  const tuning = optObj(issues, 'tuning', value);
  if (!tuning) return {};
  unknownKeys(issues, 'tuning', tuning, [
    'preset',
    'method',
    'config',
    'input',
    'output',
  ]);

  if (tuning.preset === undefined) {
    issues.add(
      'tuning.preset',
      `is required; set tuning.preset.name to a tunable model, e.g. ${TUNABLE_MODELS[0]}`,
    );
  }
  const preset = checkPreset(issues, 'tuning.preset', tuning.preset, version);
  if (
    preset.name &&
    !preset.model &&
    !issues.list.some(i => i.field === 'tuning.preset.name')
  ) {
    const similar = similarModels(preset.name, {
      among: MODEL_CATALOG.filter(m => m.tuningMethods.length > 0),
    });
    const hint = similar.length
      ? ` did you mean ${describeModels(similar, preset.name)}?`
      : '';
    issues.add(
      'tuning.preset.name',
      `Unsupported tuning preset name ${printable(
        preset.name,
      )};${hint} KAITO tunes only: ${TUNABLE_MODELS.join(', ')}`,
    );
  } else if (preset.model && preset.model.tuningMethods.length === 0) {
    // The catalog records no tuning method for this model; KAITO's webhook may still admit it.
    issues.warn(
      'tuning.preset.name',
      `${
        preset.model.hfId
      } has no tuning support in KAITO's model catalog, so the tuning job will probably fail; tunable models: ${TUNABLE_MODELS.join(
        ', ',
      )} (override "untunableModel" to submit it anyway)`,
      'untunableModel',
    );
  }

  if (tuning.method !== 'lora' && tuning.method !== 'qlora') {
    issues.add(
      'tuning.method',
      tuning.method === undefined
        ? 'is required; use "lora" or "qlora" (qlora needs less GPU memory)'
        : `must be "lora" or "qlora", got ${describeValue(tuning.method)}`,
    );
  }
  optObjectName(issues, 'tuning.config', tuning.config, 'ConfigMap name');
  checkInput(issues, tuning.input);
  checkOutput(issues, tuning.output);
  return preset;
}
