import { kaitoWorkspaceReadPermission } from '@kaito-backstage/plugin-kaito-common';
import { KaitoHttpError } from '../service/errors';
import { KaitoActionDeps } from './deps';
import { ENTITY_REF_DESCRIPTION, parseEntityInput } from './entityRef';

/**
 * `kaito:get-workspace-status`: the readiness snapshot the HTTP snapshot
 * route serves (`GET /entity/:kind/:namespace/:name/workspace`), for one
 * entity, behind the same `kaito.workspace.read` check on the entity.
 */
export function registerGetWorkspaceStatusAction(deps: KaitoActionDeps) {
  deps.actionsRegistry.register({
    name: 'get-workspace-status',
    title: 'Get a KAITO workspace status',
    description:
      "The readiness of a catalog entity's KAITO Workspace: phase (Pending, ProvisioningNodes, DownloadingWeights, StartingInference, Ready, Failed, ...), a one-sentence reason with the fix when the user must act, the timeline steps and the Kubernetes conditions. Poll it after a deployment until phase is Ready.",
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          entityRef: z.string().min(1).describe(ENTITY_REF_DESCRIPTION),
        }),
      output: z =>
        z.object({
          entityRef: z.string(),
          cluster: z.string(),
          namespace: z.string(),
          name: z.string(),
          status: z
            .enum(['found', 'notFound', 'unavailable'])
            .describe(
              'found; notFound (no such Workspace); unavailable (the cluster could not be read, see message)',
            ),
          message: z.string().optional(),
          observedAt: z.string(),
          phase: z.string().optional(),
          reason: z
            .string()
            .optional()
            .describe('One sentence; includes the fix when one is known'),
          fix: z.string().optional(),
          outcome: z
            .enum(['progress', 'ready', 'retrying', 'terminal'])
            .optional()
            .describe(
              'progress: wait; ready; retrying: may heal by itself; terminal: needs the user',
            ),
          cause: z.string().optional(),
          steps: z
            .array(
              z.object({
                id: z.string(),
                title: z.string(),
                status: z.string(),
                at: z.string().optional(),
                detail: z.string().optional(),
              }),
            )
            .optional(),
          conditions: z
            .array(
              z
                .object({
                  type: z.string(),
                  status: z.string(),
                  reason: z.string().optional(),
                  message: z.string().optional(),
                  lastTransitionTime: z.string().optional(),
                })
                .passthrough(),
            )
            .optional(),
          model: z.string().optional(),
          instanceType: z.string().optional(),
          targetNodeCount: z.number().optional(),
        }),
    },
    action: async ({ input, credentials }) => {
      const ref = parseEntityInput(input.entityRef);
      const ctx = await deps.resolver.resolveFor(
        ref,
        credentials,
        kaitoWorkspaceReadPermission,
        { allowExternal: false },
      );
      if (ctx.target.kind !== 'workspace') {
        throw new KaitoHttpError(
          404,
          'no_workspace',
          `Entity ${ctx.entityRef} has no KAITO Workspace`,
        );
      }
      const s = await deps.kaito.watcher.snapshot(ctx.target.key);
      const r = s.readiness;
      return {
        output: {
          entityRef: ctx.entityRef,
          cluster: s.cluster,
          namespace: s.namespace,
          name: s.name,
          status: s.status,
          message: s.message,
          observedAt: s.observedAt,
          phase: r?.phase,
          reason: r?.reason,
          fix: r?.fix,
          outcome: r?.outcome,
          cause: r?.cause,
          steps: r?.steps,
          conditions: r?.conditions?.map(c => ({ ...c })),
          model: r?.model ?? s.workspace?.preset,
          instanceType: r?.instanceType ?? s.workspace?.instanceType,
          targetNodeCount: r?.targetNodeCount,
        },
      };
    },
  });
}
