import { printable } from '../../dns';
import { checkPreset, type PresetCheck } from './preset';
import {
  Issues,
  checkImageRef,
  checkLabelName,
  describeValue,
  isObj,
  optImagePullSecrets,
  optObj,
  optObjectName,
  optString,
  unknownKeys,
} from './issues';

const STRENGTH = /^(0(\.\d+)?|1(\.0+)?|\.\d+)$/;

function checkAdapters(
  issues: Issues,
  value: unknown,
  runtime: 'vllm' | 'transformers',
): void {
  const field = 'inference.adapters';
  if (value === undefined) return;
  if (!Array.isArray(value)) {
    issues.add(
      field,
      `must be a list of adapters, got ${describeValue(value)}`,
    );
    return;
  }
  const seen = new Set<string>();
  value.forEach((adapter, i) => {
    const f = `${field}[${i}]`;
    if (!isObj(adapter)) {
      issues.add(
        f,
        `must be an object {source, strength}, got ${describeValue(adapter)}`,
      );
      return;
    }
    unknownKeys(issues, f, adapter, ['source', 'strength']);
    const source = optObj(issues, `${f}.source`, adapter.source);
    if (adapter.source === undefined) {
      issues.add(
        `${f}.source`,
        'is required; give the adapter a name and an image',
      );
    }
    if (source) {
      unknownKeys(issues, `${f}.source`, source, [
        'name',
        'urls',
        'image',
        'imagePullSecrets',
        'volumeSource',
      ]);
      const name = optString(issues, `${f}.source.name`, source.name);
      if (!name) {
        if (source.name === undefined || name === '') {
          issues.add(
            `${f}.source.name`,
            'is required; KAITO uses it to name the adapter container and directory',
          );
        }
      } else {
        checkLabelName(issues, `${f}.source.name`, name, 'adapter name');
        if (seen.has(name))
          issues.add(
            `${f}.source.name`,
            `adapter name "${printable(
              name,
            )}" is used twice; give each adapter a unique name`,
          );
        seen.add(name);
      }
      if (source.urls !== undefined) {
        issues.add(
          `${f}.source.urls`,
          'adapters cannot be downloaded from URLs; package the adapter in an image (files under /data) or use a volumeSource',
        );
      }
      const hasImage = source.image !== undefined;
      const hasVolume = source.volumeSource !== undefined;
      if (hasImage === hasVolume) {
        issues.add(
          `${f}.source`,
          hasImage
            ? 'set either image or volumeSource, not both'
            : 'needs an image (adapter files under /data) or a volumeSource',
        );
      }
      const image = optString(issues, `${f}.source.image`, source.image);
      if (image !== undefined)
        checkImageRef(issues, `${f}.source.image`, image);
      optObj(issues, `${f}.source.volumeSource`, source.volumeSource);
      optImagePullSecrets(
        issues,
        `${f}.source.imagePullSecrets`,
        source.imagePullSecrets,
      );
    }
    const strength = optString(issues, `${f}.strength`, adapter.strength);
    if (strength !== undefined) {
      if (!STRENGTH.test(strength)) {
        issues.add(
          `${f}.strength`,
          `"${printable(
            strength,
          )}" must be a decimal number between 0 and 1 written as a string, e.g. "0.5"`,
        );
      } else if (runtime === 'vllm') {
        issues.add(
          `${f}.strength`,
          'vLLM does not support adapter strength; remove strength, or set the annotation kaito.sh/runtime: transformers',
        );
      }
    }
  });
}

/** Validates `inference` (preset or template, config, adapters). */
export function checkInference(
  issues: Issues,
  value: unknown,
  version: 'v1beta1' | 'v1alpha1',
  runtime: 'vllm' | 'transformers',
): PresetCheck {
  const inference = optObj(issues, 'inference', value);
  if (!inference) return {};
  unknownKeys(issues, 'inference', inference, [
    'preset',
    'template',
    'config',
    'adapters',
  ]);

  const hasPreset = inference.preset !== undefined && inference.preset !== null;
  const hasTemplate =
    inference.template !== undefined && inference.template !== null;
  if (hasPreset && hasTemplate) {
    issues.add(
      'inference',
      'preset and template are mutually exclusive; keep preset for a catalog model or template for a custom container',
    );
  } else if (!hasPreset && !hasTemplate) {
    issues.add(
      'inference.preset',
      'is required; set inference.preset.name to a model, or give a custom pod template',
    );
  }
  if (hasTemplate) optObj(issues, 'inference.template', inference.template);
  const preset = hasPreset
    ? checkPreset(issues, 'inference.preset', inference.preset, version)
    : {};

  if (
    preset.model &&
    runtime === 'transformers' &&
    !preset.model.runtimes.includes('transformers')
  ) {
    issues.add(
      'metadata.annotations["kaito.sh/runtime"]',
      `model ${preset.model.hfId} does not support inference with the Hugging Face Transformers runtime; remove the kaito.sh/runtime annotation to use vLLM`,
    );
  }
  optObjectName(issues, 'inference.config', inference.config, 'ConfigMap name');
  if (hasTemplate && inference.adapters !== undefined) {
    issues.add(
      'inference.adapters',
      'adapters need a preset model; remove them or use inference.preset',
    );
  }
  checkAdapters(issues, inference.adapters, runtime);
  return preset;
}
