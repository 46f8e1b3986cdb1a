import { KaitoValidationError } from '../errors';
import type { TuningMethod, WorkspaceApiVersion } from '../types/workspace';
import {
  apiVersionOf,
  buildMetadata,
  type BuiltWorkspace,
  buildResource,
  finishWorkspace,
  inputObject,
  prune,
  type WorkspaceBuildInput,
} from './common';
import { Issues, isObj } from './rules/issues';
import { normalizeBuildInput } from './normalize';
import {
  workspaceAdvice,
  type BuildResult,
  type WorkspaceAdviceOptions,
} from './advice';

export interface TuningWorkspaceInput extends WorkspaceBuildInput {
  /** A catalog model that supports tuning (HF id or legacy alias). */
  model: string;
  method: TuningMethod;
  /** ConfigMap with tuning parameters (default: KAITO's lora/qlora template). */
  config?: string;
  /** Training data: exactly one of urls, image or volumeSource. */
  input: {
    name?: string;
    urls?: string[];
    image?: string;
    imagePullSecrets?: string[];
    volumeSource?: Record<string, unknown>;
  };
  /** Result: an image plus push Secret, or a volumeSource. */
  output: {
    image?: string;
    imagePushSecret?: string;
    volumeSource?: Record<string, unknown>;
  };
}

/**
 * Builds a `kaito.sh/v1beta1` (default) or `kaito.sh/v1alpha1` tuning
 * Workspace (LoRA / QLoRA). Throws KaitoValidationError listing every problem.
 */
export function buildTuningWorkspace<
  V extends WorkspaceApiVersion = 'kaito.sh/v1beta1',
>(input: TuningWorkspaceInput & { apiVersion?: V }): BuiltWorkspace<V> {
  const issues = new Issues();
  const raw = inputObject(input, issues) as unknown as TuningWorkspaceInput;
  if (issues.list.length)
    throw new KaitoValidationError(issues.list, 'tuning Workspace input');
  const i = normalizeBuildInput(raw);
  const apiVersion = apiVersionOf(i, issues);

  const manifest = prune({
    apiVersion,
    kind: 'Workspace' as const,
    metadata: buildMetadata(i, issues),
    resource: buildResource(i),
    tuning: {
      preset: { name: i.model },
      method: i.method,
      config: i.config,
      input: isObj(i.input) ? { ...i.input } : i.input,
      output: isObj(i.output) ? { ...i.output } : i.output,
    },
  });

  return finishWorkspace(
    manifest as BuiltWorkspace<V>,
    issues.list,
    i.nodeAutoProvisioning,
    'tuning Workspace',
  );
}

/**
 * buildTuningWorkspace, plus advice: a warning when the model's weights alone
 * need more than the one node tuning runs on. Throws like buildTuningWorkspace.
 */
export function buildTuningWorkspaceWithWarnings<
  V extends WorkspaceApiVersion = 'kaito.sh/v1beta1',
>(
  input: TuningWorkspaceInput & { apiVersion?: V },
  opts: WorkspaceAdviceOptions = {},
): BuildResult<BuiltWorkspace<V>> {
  const manifest = buildTuningWorkspace(input);
  return { manifest, warnings: workspaceAdvice(manifest, opts) };
}
