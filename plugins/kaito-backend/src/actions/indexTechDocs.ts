import { stringifyEntityRef } from '@backstage/catalog-model';
import { KaitoHttpError } from '../service/errors';
import { KaitoActionDeps } from './deps';
import { parseEntityInput } from './entityRef';
import { postEntityRoute } from './entityRoute';

/**
 * `kaito:index-techdocs`: indexes the TechDocs pages of a RAG entity's
 * system into its RAGEngine index, so a team chats with its own docs.
 *
 * It goes through the plugin's own route (`POST .../rag/techdocs`) with a
 * token on behalf of the caller, so the `kaito.ragengine.manage` check on
 * the entity, the readiness gate, the limits and the audit event are the
 * route's.
 */
export function registerIndexTechDocsAction(deps: KaitoActionDeps) {
  deps.actionsRegistry.register({
    name: 'index-techdocs',
    title: "Index a system's TechDocs into a RAG index",
    description:
      "Reads the TechDocs pages of the system a RAG entity (annotation kaito.sh/ragengine) belongs to, and adds them to the entity's RAGEngine index, so its chat answers from those docs with sources. Pages already indexed unchanged are skipped. Needs kaito.ragengine.manage on the entity and a Ready RAGEngine.",
    attributes: { readOnly: false, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          entityRef: z
            .string()
            .min(1)
            .describe(
              'Catalog entity of the RAG engine, e.g. "component:default/handbook" (kind defaults to component, namespace to default)',
            ),
        }),
      output: z =>
        z.object({
          entityRef: z.string(),
          index: z.string(),
          sources: z.array(z.string()),
          pages: z.number(),
          added: z.number(),
          skipped: z.array(z.object({ page: z.string(), reason: z.string() })),
        }),
    },
    action: async ({ input, credentials }) => {
      const ref = parseEntityInput(input.entityRef);
      const { res, body } = await postEntityRoute(
        deps,
        credentials,
        ref,
        'rag/techdocs',
        {},
      );
      if (!res.ok) {
        throw new KaitoHttpError(
          res.status,
          body?.error?.code ?? 'index_techdocs_failed',
          body?.error?.message ??
            `Indexing the TechDocs of ${stringifyEntityRef(
              ref,
            )} failed with HTTP ${res.status}`,
        );
      }
      return {
        output: {
          entityRef: body.entityRef,
          index: body.index,
          sources: body.sources,
          pages: body.pages,
          added: body.added,
          skipped: body.skipped,
        },
      };
    },
  });
}
