import {
  BACKSTAGE_KUBERNETES_ID_LABEL,
  buildInferenceWorkspace,
  buildTuningWorkspace,
  BuiltWorkspace,
  KaitoValidationError,
} from '@kaito-backstage/plugin-kaito-common';
import { fieldError, manifestInputError } from './errors';

/** Workspace annotations a catalog provider reads (it discovers `backstage.io/owner`). */
export const OWNER_ANNOTATION = 'backstage.io/owner';
export const SYSTEM_ANNOTATION = 'backstage.io/system';
export const TITLE_ANNOTATION = 'backstage.io/title';
export const DESCRIPTION_ANNOTATION = 'backstage.io/description';

export const WORKSPACE_API_VERSIONS = [
  'kaito.sh/v1beta1',
  'kaito.sh/v1alpha1',
] as const;
export type WorkspaceApiVersion = (typeof WORKSPACE_API_VERSIONS)[number];

/** The `kaito:workspace:apply` inputs that shape the manifest. */
export interface WorkspaceManifestInput {
  namespace: string;
  name: string;
  model: string;
  instanceType: string;
  count?: number;
  runtime?: 'vllm' | 'transformers';
  adapters?: Array<{ name: string; image: string; strength?: string | number }>;
  hfTokenSecret?: string;
  entityName?: string;
  owner?: string;
  system?: string;
  title?: string;
  description?: string;
  tuning?: {
    method: 'lora' | 'qlora';
    inputUrls?: string[];
    inputImage?: string;
    inputVolume?: Record<string, unknown>;
    outputImage: string;
    outputPushSecret: string;
  };
  apiVersion?: WorkspaceApiVersion;
}

/** Which action input a manifest path comes from (for error messages). */
export function inputForManifestField(field: string): string | undefined {
  const rules: Array<[RegExp, string]> = [
    [/^metadata\.name$|^name$/, 'name'],
    [/^metadata\.namespace$|^namespace$/, 'namespace'],
    [/^metadata\.labels|^kubernetesId$/, 'entityName'],
    [/^metadata\.annotations/, 'owner/system/title/description'],
    [/^resource\.instanceType|^instanceType$/, 'instanceType'],
    [/^resource\.count/, 'count'],
    [/preset\.name|^model$/, 'model'],
    [/modelAccessSecret$/, 'hfTokenSecret'],
    [/adapters\[(\d+)\]/, 'adapters'],
    [/^tuning\.method/, 'tuning.method'],
    [/^tuning\.input/, 'tuning.inputUrls/inputImage/inputVolume'],
    [/^tuning\.output\.image$/, 'tuning.outputImage'],
    [/^tuning\.output\.imagePushSecret/, 'tuning.outputPushSecret'],
    [/^tuning\.output/, 'tuning.outputImage'],
    [/^runtime$|kaito\.sh\/runtime/, 'runtime'],
  ];
  for (const [re, input] of rules) {
    const m = re.exec(field);
    if (m) return m[1] !== undefined ? `${input}[${m[1]}]` : input;
  }
  return undefined;
}

/**
 * Builds the Workspace with kaito-common's builders (the same rules as
 * KAITO's admission webhook) and the Backstage label and annotations.
 * Throws InputError naming each bad input.
 */
export function renderWorkspace(
  i: WorkspaceManifestInput,
): BuiltWorkspace<WorkspaceApiVersion> {
  const apiVersion = i.apiVersion ?? 'kaito.sh/v1beta1';
  if (apiVersion === 'kaito.sh/v1alpha1' && i.hfTokenSecret) {
    throw fieldError(
      'hfTokenSecret',
      'kaito.sh/v1alpha1 has no inference.preset.presetOptions.modelAccessSecret; use apiVersion kaito.sh/v1beta1 for gated models',
    );
  }
  if (i.tuning && (i.adapters?.length || i.runtime)) {
    throw fieldError(
      'tuning',
      'a tuning Workspace takes no adapters or runtime; remove them or drop tuning',
    );
  }
  const annotations: Record<string, string> = {};
  if (i.owner) annotations[OWNER_ANNOTATION] = i.owner;
  if (i.system) annotations[SYSTEM_ANNOTATION] = i.system;
  if (i.title) annotations[TITLE_ANNOTATION] = i.title;
  if (i.description) annotations[DESCRIPTION_ANNOTATION] = i.description;
  const common = {
    apiVersion,
    name: i.name,
    namespace: i.namespace,
    instanceType: i.instanceType,
    kubernetesId: i.entityName ?? i.name,
    ...(Object.keys(annotations).length ? { annotations } : {}),
  };
  let manifest: BuiltWorkspace<WorkspaceApiVersion>;
  try {
    if (i.tuning) {
      const t = i.tuning;
      const sources = [t.inputUrls?.length, t.inputImage, t.inputVolume].filter(
        Boolean,
      );
      if (sources.length !== 1) {
        throw fieldError(
          'tuning',
          'give exactly one training-data source: inputUrls, inputImage or inputVolume',
        );
      }
      manifest = buildTuningWorkspace({
        ...common,
        model: i.model,
        method: t.method,
        input: {
          ...(t.inputUrls?.length ? { urls: t.inputUrls } : {}),
          ...(t.inputImage ? { image: t.inputImage } : {}),
          ...(t.inputVolume ? { volumeSource: t.inputVolume } : {}),
        },
        output: { image: t.outputImage, imagePushSecret: t.outputPushSecret },
      });
    } else {
      manifest = buildInferenceWorkspace({
        ...common,
        model: i.model,
        runtime: i.runtime,
        modelAccessSecret: i.hfTokenSecret,
        adapters: i.adapters?.map(a => ({
          name: a.name,
          image: a.image,
          strength: a.strength,
        })),
      });
    }
  } catch (error) {
    if (error instanceof KaitoValidationError) {
      throw manifestInputError(error, inputForManifestField);
    }
    throw error;
  }
  if (i.count !== undefined) {
    manifest = {
      ...manifest,
      resource: { ...manifest.resource!, count: i.count },
    };
  }
  return manifest;
}

export { BACKSTAGE_KUBERNETES_ID_LABEL };
