import {
  buildRagEngine,
  findModel,
  KAITO_RAG_INDEX_ANNOTATION,
  KaitoValidationError,
  RAGEngine,
} from '@kaito-backstage/plugin-kaito-common';
import { fieldError, manifestInputError } from './errors';
import {
  DESCRIPTION_ANNOTATION,
  OWNER_ANNOTATION,
  SYSTEM_ANNOTATION,
} from './workspaceManifest';

/** The embedding model KAITO's RAG examples use: small, CPU-friendly. */
export const DEFAULT_EMBEDDING_MODEL = 'BAAI/bge-small-en-v1.5';

/**
 * RAGEngine annotation naming the catalog entities the RAG entity depends on
 * (comma-separated refs; the inference workspace's entity). The KAITO catalog
 * provider writes it as `spec.dependsOn`. Contract with
 * catalog-backend-module-kaito (provider/ragEngineEntity.ts).
 */
export const DEPENDS_ON_ANNOTATION = 'kaito.sh/depends-on';

/**
 * Without a GPU size the embedding model runs on the cluster's CPU nodes: a
 * BYO selector every Linux node matches (KAITO leaves compute.instanceType
 * empty and creates no NodeClaim).
 */
export const CPU_NODE_SELECTOR = { 'kubernetes.io/os': 'linux' };

/** The `kaito:ragengine:apply` inputs that shape the manifest. */
export interface RagEngineManifestInput {
  namespace: string;
  name: string;
  embeddingModelID?: string;
  embeddingUrl?: string;
  embeddingAccessSecret?: string;
  instanceType?: string;
  persistentVolumeClaim?: string;
  vectorDbUrl?: string;
  vectorDbAccessSecret?: string;
  guardrails?: boolean;
  index?: string;
  entityName?: string;
  owner?: string;
  system?: string;
  description?: string;
}

/** What the action derived from the inference Workspace. */
export interface DerivedInference {
  url: string;
  contextWindowSize: number;
  /** The workspace's catalog entity ref (written as kaito.sh/depends-on). */
  entityRef: string;
}

/** Which action input a RAGEngine manifest path comes from (for error messages). */
export function inputForRagField(field: string): string | undefined {
  const rules: Array<[RegExp, string]> = [
    [/^metadata\.name$|^name$/, 'name'],
    [/^metadata\.namespace$|^namespace$/, 'namespace'],
    [/^metadata\.labels|^kubernetesId$/, 'entityName'],
    [/^metadata\.annotations/, 'owner/system/description/index'],
    [/^spec\.compute\.instanceType|^instanceType$/, 'instanceType'],
    [/^spec\.compute/, 'instanceType'],
    [/^spec\.embedding\.local\.modelID/, 'embeddingModelID'],
    [/^spec\.embedding\.remote\.url/, 'embeddingUrl'],
    [/^spec\.embedding\.remote\.accessSecret/, 'embeddingAccessSecret'],
    [/^spec\.embedding/, 'embeddingModelID/embeddingUrl'],
    [/^spec\.inferenceService\.contextWindowSize/, 'contextWindowSize'],
    [/^spec\.inferenceService/, 'workspace'],
    [/^spec\.storage\.persistentVolume/, 'persistentVolumeClaim'],
    [/^spec\.storage\.vectorDB\.accessSecret/, 'vectorDbAccessSecret'],
    [/^spec\.storage\.vectorDB/, 'vectorDbUrl'],
    [/^spec\.guardrails/, 'guardrails'],
  ];
  for (const [re, input] of rules) if (re.test(field)) return input;
  return undefined;
}

/** The in-cluster chat URL of a Workspace (its Service `<ws>` on port 80). */
export function workspaceChatUrl(namespace: string, name: string): string {
  return `http://${name}.${namespace}.svc.cluster.local/v1/chat/completions`;
}

/** The in-cluster URL of a RAGEngine's own Service. */
export function ragEngineServiceUrl(namespace: string, name: string): string {
  return `http://${name}.${namespace}.svc.cluster.local`;
}

/** API path of a RAGEngine (collection when name is omitted). */
export function ragEnginePath(
  namespace: string,
  name?: string,
  apiVersion = 'kaito.sh/v1beta1',
): string {
  const base = `/apis/${apiVersion}/namespaces/${encodeURIComponent(
    namespace,
  )}/ragengines`;
  return name ? `${base}/${encodeURIComponent(name)}` : base;
}

/**
 * The context window of the model a live Workspace serves, from kaito-common's
 * model catalog. Undefined for a model outside the catalog.
 */
export function presetContextWindow(preset: string): number | undefined {
  return findModel(preset)?.contextLength;
}

/**
 * Builds the RAGEngine with kaito-common's builder (the rules of KAITO's
 * webhook and CRD) plus the Backstage label and annotations. Throws
 * InputError naming each bad input.
 */
export function renderRagEngine(
  i: RagEngineManifestInput,
  inference: DerivedInference,
): RAGEngine {
  if (i.embeddingUrl && i.embeddingModelID) {
    throw fieldError(
      'embeddingUrl',
      'give either a remote embedding URL or a local embeddingModelID, not both',
    );
  }
  if (i.vectorDbAccessSecret && !i.vectorDbUrl) {
    throw fieldError(
      'vectorDbAccessSecret',
      'is only used with a Qdrant vector database; set vectorDbUrl or remove it',
    );
  }
  const annotations: Record<string, string> = {
    [KAITO_RAG_INDEX_ANNOTATION]: i.index ?? i.name,
    [DEPENDS_ON_ANNOTATION]: inference.entityRef,
  };
  if (i.owner) annotations[OWNER_ANNOTATION] = i.owner;
  if (i.system) annotations[SYSTEM_ANNOTATION] = i.system;
  if (i.description) annotations[DESCRIPTION_ANNOTATION] = i.description;
  const storage =
    i.persistentVolumeClaim || i.vectorDbUrl
      ? {
          ...(i.persistentVolumeClaim
            ? {
                persistentVolume: {
                  persistentVolumeClaim: i.persistentVolumeClaim,
                },
              }
            : {}),
          ...(i.vectorDbUrl
            ? {
                vectorDB: {
                  engine: 'qdrant',
                  url: i.vectorDbUrl,
                  ...(i.vectorDbAccessSecret
                    ? { accessSecret: i.vectorDbAccessSecret }
                    : {}),
                },
              }
            : {}),
        }
      : undefined;
  try {
    return buildRagEngine({
      name: i.name,
      namespace: i.namespace,
      kubernetesId: i.entityName ?? i.name,
      annotations,
      ...(i.instanceType
        ? { instanceType: i.instanceType }
        : { nodeAutoProvisioning: false, labelSelector: CPU_NODE_SELECTOR }),
      embedding: i.embeddingUrl
        ? {
            remote: {
              url: i.embeddingUrl,
              ...(i.embeddingAccessSecret
                ? { accessSecret: i.embeddingAccessSecret }
                : {}),
            },
          }
        : {
            local: {
              modelID: i.embeddingModelID ?? DEFAULT_EMBEDDING_MODEL,
            },
          },
      inferenceService: {
        url: inference.url,
        contextWindowSize: inference.contextWindowSize,
      },
      ...(storage ? { storage } : {}),
      ...(i.guardrails !== undefined
        ? { guardrails: { enabled: i.guardrails } }
        : {}),
    });
  } catch (error) {
    if (error instanceof KaitoValidationError) {
      throw manifestInputError(error, inputForRagField);
    }
    throw error;
  }
}
