import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import type { KaitoClusters } from '@kaito-backstage/plugin-kaito-node';
import {
  KAITO_CLUSTER_ANNOTATION,
  KAITO_WORKSPACE_ANNOTATION,
  validateWorkspace,
  workspaceAdvice,
} from '@kaito-backstage/plugin-kaito-common';
import { stringify } from 'yaml';
import { applyWithDryRun, clusterRejection } from '../lib/applyFlow';
import { clusterApi, checkLabel } from '../lib/clusters';
import { fieldError } from '../lib/errors';
import { checkFit } from '../lib/fit';
import { KubeApi, KubeApiError, workspacePath } from '../lib/kubeApi';
import {
  BACKSTAGE_KUBERNETES_ID_LABEL,
  inputForManifestField,
  renderWorkspace,
  WORKSPACE_API_VERSIONS,
} from '../lib/workspaceManifest';
import { examples } from './workspaceApply.examples';

/**
 * `kaito:workspace:apply`: builds a KAITO Workspace with kaito-common and
 * server-side applies it to a registered cluster (or one created earlier in
 * the task). Idempotent. Every run first asks the cluster's admission with a
 * server-side dry run, so a webhook denial surfaces before anything is
 * created; the scaffolder's dry-run mode stops there.
 */
export function createWorkspaceApplyAction(deps: { clusters: KaitoClusters }) {
  return createTemplateAction({
    id: 'kaito:workspace:apply',
    description:
      'Builds a KAITO Workspace (inference preset, adapters, runtime, gated-model secret or LoRA/QLoRA tuning) and server-side applies it to a cluster',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        cluster: z =>
          z
            .string()
            .min(1)
            .describe('Cluster name as the KAITO cluster registry knows it'),
        namespace: z =>
          z.string().min(1).describe('Namespace (created when missing)'),
        name: z =>
          z.string().min(1).describe('Workspace name (DNS-1123 label)'),
        model: z =>
          z
            .string()
            .min(1)
            .describe("Preset name or Hugging Face id from KAITO's catalog"),
        instanceType: z =>
          z
            .string()
            .min(1)
            .describe('GPU VM size, e.g. Standard_NC24ads_A100_v4'),
        count: z =>
          z
            .number()
            .int()
            .min(1)
            .max(100)
            .optional()
            .describe('GPU nodes (resource.count)'),
        runtime: z =>
          z
            .enum(['vllm', 'transformers'])
            .optional()
            .describe('Inference runtime; default vllm'),
        adapters: z =>
          z
            .array(
              z.object({
                name: z.string().min(1),
                image: z.string().min(1),
                strength: z.union([z.string(), z.number()]).optional(),
              }),
            )
            .optional()
            .describe('LoRA adapters served with the model'),
        hfTokenSecret: z =>
          z
            .string()
            .optional()
            .describe('Secret with key HF_TOKEN, for gated models'),
        entityName: z =>
          z
            .string()
            .optional()
            .describe(
              'Catalog entity name; written as label backstage.io/kubernetes-id (default: name)',
            ),
        owner: z =>
          z
            .string()
            .optional()
            .describe('Written as annotation backstage.io/owner'),
        system: z =>
          z
            .string()
            .optional()
            .describe('Written as annotation backstage.io/system'),
        title: z =>
          z
            .string()
            .optional()
            .describe('Written as annotation backstage.io/title'),
        description: z =>
          z
            .string()
            .optional()
            .describe('Written as annotation backstage.io/description'),
        tuning: z =>
          z
            .object({
              method: z.enum(['lora', 'qlora']),
              inputUrls: z.array(z.string()).optional(),
              inputImage: z.string().optional(),
              inputVolume: z.record(z.unknown()).optional(),
              outputImage: z.string().min(1),
              outputPushSecret: z.string().min(1),
            })
            .optional()
            .describe('Fine-tune instead of serving'),
        apiVersion: z =>
          z
            .enum(WORKSPACE_API_VERSIONS)
            .optional()
            .describe('kaito.sh/v1beta1 (default) or kaito.sh/v1alpha1'),
      },
      output: {
        workspace: z => z.string().describe('"<namespace>/<name>"'),
        cluster: z => z.string(),
        apiVersion: z => z.string(),
        manifest: z => z.string().describe('The applied Workspace as YAML'),
        annotations: z =>
          z.record(z.string()).describe('Annotations for the catalog entity'),
        entityRef: z => z.string(),
      },
    },
    async handler(ctx) {
      const { input } = ctx;
      checkLabel('namespace', input.namespace);
      checkLabel('name', input.name);
      const manifest = renderWorkspace(input);
      const fit = checkFit(input.model, input.instanceType);
      const apiVersion = manifest.apiVersion;
      const entityName = input.entityName ?? input.name;
      const workspace = `${input.namespace}/${input.name}`;
      const outputs = {
        workspace,
        cluster: input.cluster,
        apiVersion,
        manifest: stringify(manifest),
        annotations: {
          [KAITO_WORKSPACE_ANNOTATION]: workspace,
          [KAITO_CLUSTER_ANNOTATION]: input.cluster,
          [BACKSTAGE_KUBERNETES_ID_LABEL]: entityName,
        },
        entityRef: `resource:default/${entityName}`,
      };
      if (fit) ctx.logger.info(`GPU fit: ${fit.summary}`);
      // What KAITO admits but the user may not mean: a near-miss model id, several nodes and their cost.
      for (const w of workspaceAdvice(manifest)) {
        const field = inputForManifestField(w.field);
        ctx.logger.warn(
          `${field ? `${field} (${w.field})` : w.field}: ${w.message}`,
        );
      }

      let api: KubeApi | undefined;
      try {
        api = await clusterApi(
          deps.clusters,
          input.cluster,
          'cluster',
          ctx.signal,
        );
      } catch (error) {
        // In a dry run the cluster may be one an earlier (skipped) step would create.
        if (!ctx.isDryRun) throw error;
        ctx.logger.info(
          `Dry run: cluster '${input.cluster}' is not registered yet; rendered the manifest without server-side validation`,
        );
      }
      const path = workspacePath(apiVersion, input.namespace, input.name);
      if (api) {
        const existing = await api.getOptional(path, ctx.signal);
        // KAITO's immutable-field rules: what fails only against the stored object.
        const plain = new Set(
          validateWorkspace(manifest).map(i => `${i.field}: ${i.message}`),
        );
        const immutable = existing
          ? validateWorkspace(manifest, { previous: existing }).filter(
              i => !plain.has(`${i.field}: ${i.message}`),
            )
          : [];
        if (immutable.length) {
          throw fieldError(
            immutable
              .map(i => inputForManifestField(i.field) ?? i.field)
              .join(', '),
            `Workspace ${workspace} already exists on '${
              input.cluster
            }' and ${immutable
              .map(i => `${i.field}: ${i.message}`)
              .join(
                '; ',
              )}; delete it first (kaito:workspace:delete) or keep the old value`,
          );
        }
      }

      // The cluster's own admission (KAITO's webhook: node checks, feature
      // gates, ConfigMap limits) answers before anything is created.
      const target = { cluster: input.cluster, namespace: input.namespace };
      await applyWithDryRun(ctx, {
        api,
        ...target,
        kind: 'Workspace',
        ref: workspace,
        subject: workspace,
        checkpoint: 'workspace',
        manifest,
        apply: dryRun =>
          applyWorkspace(
            api!,
            path,
            manifest,
            { ...target, name: input.name },
            dryRun,
            ctx.signal,
          ),
        keep: obj => ({
          uid: String(obj?.metadata?.uid ?? ''),
          generation: Number(obj?.metadata?.generation ?? 0),
        }),
        appliedNote: apiVersion,
        outputs,
      });
    },
  });
}

async function applyWorkspace(
  api: KubeApi,
  path: string,
  manifest: object,
  input: { cluster: string; namespace: string; name: string },
  dryRun: boolean,
  signal?: AbortSignal,
) {
  try {
    return await api.apply(path, manifest, { dryRun, signal });
  } catch (error) {
    if (error instanceof KubeApiError && error.statusCode === 404) {
      throw new Error(
        `Cluster '${input.cluster}' does not serve KAITO Workspaces (${
          path.split('/namespaces')[0]
        }): install KAITO (the AKS AI toolchain operator add-on) or pick another apiVersion`,
      );
    }
    throw (
      clusterRejection(
        error,
        `Workspace ${input.namespace}/${input.name}`,
        inputForManifestField,
        dryRun,
      ) ?? error
    );
  }
}
