import { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import type { KaitoClusters } from '@kaito-backstage/plugin-kaito-node';
import {
  BACKSTAGE_KUBERNETES_ID_LABEL,
  KAITO_CLUSTER_ANNOTATION,
  KAITO_RAG_INDEX_ANNOTATION,
  KAITO_RAGENGINE_ANNOTATION,
} from '@kaito-backstage/plugin-kaito-common';
import { stringify } from 'yaml';
import { applyWithDryRun, clusterRejection } from '../lib/applyFlow';
import { checkLabel } from '../lib/clusters';
import { fieldError } from '../lib/errors';
import { readInferenceWorkspace } from '../lib/inferenceWorkspace';
import { KubeApi, KubeApiError } from '../lib/kubeApi';
import {
  DEFAULT_EMBEDDING_MODEL,
  inputForRagField,
  ragEnginePath,
  ragEngineServiceUrl,
  renderRagEngine,
} from '../lib/ragEngineManifest';
import { examples } from './ragengineApply.examples';

/** Index names the backend accepts (kaito-common ragAnnotations). */
const INDEX = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;

/**
 * `kaito:ragengine:apply`: a KAITO RAGEngine in front of an inference
 * Workspace picked from the catalog. The Workspace's in-cluster URL and the
 * model's context window are derived (entity annotations -> live Workspace ->
 * kaito-common model catalog), so the user types neither. Every run asks the
 * cluster's admission first (server-side dry run); the scaffolder's dry-run
 * mode stops there.
 */
export function createRagEngineApplyAction(deps: {
  clusters: KaitoClusters;
  catalog: CatalogService;
}) {
  return createTemplateAction({
    id: 'kaito:ragengine:apply',
    description:
      "Builds a KAITO RAGEngine (embedding model, storage, guardrails) in front of a workspace entity's Workspace and server-side applies it to that Workspace's cluster",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        workspace: z =>
          z
            .string()
            .min(1)
            .describe(
              'The inference workspace entity (annotations kaito.sh/workspace and kaito.sh/cluster), e.g. resource:default/phi-4-mini',
            ),
        name: z =>
          z.string().min(1).describe('RAGEngine name (DNS-1123 label)'),
        namespace: z =>
          z
            .string()
            .optional()
            .describe(
              "Namespace (default: the Workspace's; created when missing)",
            ),
        embeddingModelID: z =>
          z
            .string()
            .optional()
            .describe(
              `Local embedding model (Hugging Face id); default ${DEFAULT_EMBEDDING_MODEL}`,
            ),
        embeddingUrl: z =>
          z
            .string()
            .optional()
            .describe('Remote embedding service URL instead of a local model'),
        embeddingAccessSecret: z =>
          z
            .string()
            .optional()
            .describe('Secret with the remote embedding service key'),
        instanceType: z =>
          z
            .string()
            .optional()
            .describe(
              'GPU size for the local embedding model (spec.compute.instanceType); default: CPU nodes',
            ),
        persistentVolumeClaim: z =>
          z
            .string()
            .optional()
            .describe('Existing PVC that persists the vector index'),
        vectorDbUrl: z =>
          z
            .string()
            .optional()
            .describe(
              'Qdrant URL (spec.storage.vectorDB); default in-process FAISS',
            ),
        vectorDbAccessSecret: z =>
          z.string().optional().describe('Secret with the Qdrant API key'),
        guardrails: z =>
          z
            .boolean()
            .optional()
            .describe(
              "Turns KAITO's output guardrails on (spec.guardrails.enabled)",
            ),
        contextWindowSize: z =>
          z
            .number()
            .int()
            .min(1)
            .optional()
            .describe(
              "Tokens; default: the served model's context length from KAITO's catalog",
            ),
        index: z =>
          z
            .string()
            .optional()
            .describe(
              'Index the catalog entity chats with (annotation kaito.sh/rag-index); default the name',
            ),
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
        description: z =>
          z
            .string()
            .optional()
            .describe('Written as annotation backstage.io/description'),
      },
      output: {
        ragengine: z => z.string().describe('"<namespace>/<name>"'),
        cluster: z => z.string(),
        manifest: z =>
          z.string().describe('The applied RAGEngine as YAML (no secrets)'),
        inferenceUrl: z =>
          z.string().describe('spec.inferenceService.url, derived'),
        contextWindowSize: z => z.number(),
        index: z => z.string(),
        serviceUrl: z => z.string().describe("The RAGEngine's in-cluster URL"),
        workspaceEntityRef: z => z.string(),
        annotations: z =>
          z.record(z.string()).describe('Annotations for the catalog entity'),
        entityRef: z => z.string(),
      },
    },
    async handler(ctx) {
      // A form leaves optional fields empty; a template's `x if cond` renders '' too.
      const input = Object.fromEntries(
        Object.entries(ctx.input).filter(([, v]) => v !== '' && v !== null),
      ) as typeof ctx.input;
      checkLabel('name', input.name);
      if (input.namespace !== undefined)
        checkLabel('namespace', input.namespace);
      const index = input.index ?? input.name;
      if (!INDEX.test(index)) {
        throw fieldError(
          'index',
          `'${index}' must be 1-63 letters, digits, '_', '.' or '-', starting with a letter or digit`,
        );
      }
      // Every input the form controls is judged before any call: the same
      // build with a stand-in for what the Workspace will give.
      renderRagEngine(
        { ...input, namespace: input.namespace ?? 'default', index },
        {
          url: 'http://workspace.default.svc.cluster.local/v1/chat/completions',
          contextWindowSize: input.contextWindowSize ?? 4096,
          entityRef: 'resource:default/workspace',
        },
      );
      const ws = await readInferenceWorkspace(
        deps,
        input.workspace,
        await ctx.getInitiatorCredentials(),
        'workspace',
        ctx.signal,
      );
      const contextWindowSize = input.contextWindowSize ?? ws.contextWindowSize;
      if (!contextWindowSize) {
        throw fieldError(
          'contextWindowSize',
          `${ws.entityRef} serves ${
            ws.preset ? `"${ws.preset}"` : 'a custom template'
          }, which is not in KAITO's model catalog; give the model's context window in tokens`,
        );
      }
      const namespace = input.namespace ?? ws.namespace;
      const manifest = renderRagEngine(
        { ...input, namespace, index },
        { url: ws.url, contextWindowSize, entityRef: ws.entityRef },
      );
      const ragengine = `${namespace}/${input.name}`;
      const entityName = input.entityName ?? input.name;
      const outputs = {
        ragengine,
        cluster: ws.cluster,
        manifest: stringify(manifest),
        inferenceUrl: ws.url,
        contextWindowSize,
        index,
        serviceUrl: ragEngineServiceUrl(namespace, input.name),
        workspaceEntityRef: ws.entityRef,
        annotations: {
          [KAITO_RAGENGINE_ANNOTATION]: ragengine,
          [KAITO_CLUSTER_ANNOTATION]: ws.cluster,
          [KAITO_RAG_INDEX_ANNOTATION]: index,
          [BACKSTAGE_KUBERNETES_ID_LABEL]: entityName,
        },
        entityRef: `resource:default/${entityName}`,
      };
      ctx.logger.info(
        `Inference: ${ws.entityRef} -> Workspace ${ws.namespace}/${
          ws.name
        } on '${ws.cluster}' (${ws.preset ?? 'custom'}), ${
          ws.url
        }, context window ${contextWindowSize} tokens`,
      );

      const path = ragEnginePath(namespace, input.name);
      const target = { cluster: ws.cluster, ragengine };
      await applyWithDryRun(ctx, {
        api: ws.api,
        cluster: ws.cluster,
        namespace,
        kind: 'RAGEngine',
        ref: ragengine,
        subject: `RAGEngine ${ragengine}`,
        checkpoint: 'ragengine',
        manifest,
        apply: dryRun =>
          applyRagEngine(ws.api, path, manifest, target, dryRun, ctx.signal),
        keep: obj => ({ generation: Number(obj?.metadata?.generation ?? 0) }),
        outputs,
      });
    },
  });
}

async function applyRagEngine(
  api: KubeApi,
  path: string,
  manifest: object,
  target: { cluster: string; ragengine: string },
  dryRun: boolean,
  signal?: AbortSignal,
) {
  try {
    return await api.apply(path, manifest, { dryRun, signal });
  } catch (error) {
    if (error instanceof KubeApiError && error.statusCode === 404) {
      // The picked workspace's cluster is the one that lacks it.
      throw fieldError(
        'workspace',
        `Cluster '${target.cluster}' does not serve KAITO RAGEngines (${
          path.split('/namespaces')[0]
        }): install KAITO's RAGEngine controller (the ragengine Helm chart) on it, or pick a workspace on another cluster`,
      );
    }
    throw (
      clusterRejection(
        error,
        `RAGEngine ${target.ragengine}`,
        inputForRagField,
        dryRun,
      ) ?? error
    );
  }
}
