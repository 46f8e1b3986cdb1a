import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  KAITO_WORKSPACE_LABEL,
  KAITO_WORKSPACE_NAMESPACE_LABEL,
} from '@kaito-backstage/plugin-kaito-common';
import type { KaitoClusters } from '@kaito-backstage/plugin-kaito-node';
import { clusterApi, parseWorkspaceInput } from '../lib/clusters';
import { throwIfAborted } from '../lib/errors';
import { KubeApi, workspacePath } from '../lib/kubeApi';
import { examples } from './workspaceDelete.examples';

const NODECLAIMS = '/apis/karpenter.sh/v1/nodeclaims';

/**
 * `kaito:workspace:delete`: deletes a Workspace and waits until it and the
 * NodeClaims KAITO made for it are gone (the GPU nodes are released).
 */
export function createWorkspaceDeleteAction(deps: {
  clusters: KaitoClusters;
  /** Poll interval while waiting for the objects to go (tests shorten it). */
  pollMs?: number;
}) {
  return createTemplateAction({
    id: 'kaito:workspace:delete',
    description:
      'Deletes a KAITO Workspace and waits until it and its NodeClaims (GPU nodes) are gone',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        cluster: z =>
          z
            .string()
            .min(1)
            .describe('Cluster name in the KAITO cluster registry'),
        workspace: z => z.string().min(1).describe('"<namespace>/<name>"'),
        timeoutMinutes: z =>
          z
            .number()
            .positive()
            .max(24 * 60)
            .optional()
            .describe('How long to wait for the nodes to go (default 10)'),
      },
      output: {
        deleted: z =>
          z
            .boolean()
            .describe('True when the Workspace existed and is now gone'),
      },
    },
    async handler(ctx) {
      const { namespace, name } = parseWorkspaceInput(ctx.input.workspace);
      const ref = `${namespace}/${name}`;
      const api = await clusterApi(
        deps.clusters,
        ctx.input.cluster,
        'cluster',
        ctx.signal,
      );
      const path = workspacePath('kaito.sh/v1beta1', namespace, name);
      if (ctx.isDryRun) {
        const exists = !!(await api.getOptional(path, ctx.signal));
        ctx.logger.info(
          exists
            ? `Dry run: would delete Workspace ${ref} on '${ctx.input.cluster}' and wait for its NodeClaims to go`
            : `Dry run: Workspace ${ref} does not exist on '${ctx.input.cluster}'; nothing to delete`,
        );
        ctx.output('deleted', exists);
        return;
      }
      const { existed } = await ctx.checkpoint({
        key: `kaito.workspace.delete.${ctx.input.cluster}.${ref}`,
        fn: async () => ({ existed: await api.delete(path, ctx.signal) }),
      });
      ctx.logger.info(
        existed
          ? `Deleting Workspace ${ref} on '${ctx.input.cluster}'; KAITO releases its GPU nodes`
          : `Workspace ${ref} was already gone on '${ctx.input.cluster}'`,
      );
      const deadline = Date.now() + (ctx.input.timeoutMinutes ?? 10) * 60_000;
      const started = Date.now();
      let lastCount = -1;
      for (;;) {
        throwIfAborted(ctx.signal, `Deleting Workspace ${ref}`);
        const [ws, claims] = await Promise.all([
          api.getOptional(path, ctx.signal),
          listClaims(api, name, namespace, ctx.signal),
        ]);
        if (!ws && claims.length === 0) break;
        if (claims.length !== lastCount) {
          ctx.logger.info(
            `${ws ? 'Workspace still present (finalizer running); ' : ''}${
              claims.length
            } NodeClaim(s) left: ${
              claims.join(', ') || '-'
            } (after ${Math.round((Date.now() - started) / 1000)}s)`,
          );
          lastCount = claims.length;
        }
        if (Date.now() > deadline) {
          throw new Error(
            `Workspace ${ref} on '${
              ctx.input.cluster
            }' is not fully gone after ${
              ctx.input.timeoutMinutes ?? 10
            } minutes: ${
              ws ? 'the Workspace still exists; ' : ''
            }NodeClaims left: ${
              claims.join(', ') || 'none'
            }. Check the KAITO controller and gpu-provisioner logs`,
          );
        }
        await new Promise(r => setTimeout(r, deps.pollMs ?? 2000));
      }
      ctx.logger.info(`Workspace ${ref} and its NodeClaims are gone`);
      ctx.output('deleted', existed);
    },
  });
}

async function listClaims(
  api: KubeApi,
  name: string,
  namespace: string,
  signal?: AbortSignal,
): Promise<string[]> {
  const list = await api
    .request<{ items?: any[] }>('GET', NODECLAIMS, {
      query: { labelSelector: `${KAITO_WORKSPACE_LABEL}=${name}` },
      signal,
    })
    .catch(error => {
      // A cluster without Karpenter NodeClaims (BYO nodes) has none to wait for.
      if ((error as { statusCode?: number }).statusCode === 404)
        return { items: [] };
      throw error;
    });
  return (list.items ?? [])
    .filter(c => {
      const ns = c?.metadata?.labels?.[KAITO_WORKSPACE_NAMESPACE_LABEL];
      return !ns || ns === namespace;
    })
    .map(c => String(c?.metadata?.name));
}
