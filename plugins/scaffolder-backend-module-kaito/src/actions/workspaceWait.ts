import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import type { KaitoClusters } from '@kaito-backstage/plugin-kaito-node';
import { clusterApi, parseWorkspaceInput } from '../lib/clusters';
import { followWorkspace } from '../lib/follow';
import { examples } from './workspaceWait.examples';

/**
 * `kaito:workspace:wait`: follows a Workspace's readiness through the shared
 * watcher until Ready (inference) or Succeeded (tuning); fails on a terminal
 * failure with KAITO's reason; on timeout leaves it in place and says so.
 */
export function createWorkspaceWaitAction(deps: { clusters: KaitoClusters }) {
  return createTemplateAction({
    id: 'kaito:workspace:wait',
    description:
      'Waits until a KAITO Workspace is Ready (or its tuning job Succeeded), logging each phase change with its reason',
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
            .describe(
              'Give up after this long (default 30); the Workspace stays',
            ),
      },
      output: {
        phase: z => z.string(),
        reason: z => z.string(),
        ready: z => z.boolean(),
      },
    },
    async handler(ctx) {
      const { namespace, name } = parseWorkspaceInput(ctx.input.workspace);
      const timeoutMinutes = ctx.input.timeoutMinutes ?? 30;
      if (ctx.isDryRun) {
        ctx.output('phase', 'Pending');
        ctx.output(
          'reason',
          `Dry run: would wait up to ${timeoutMinutes} minutes for ${namespace}/${name} on '${ctx.input.cluster}' to become Ready`,
        );
        ctx.output('ready', false);
        return;
      }
      await clusterApi(deps.clusters, ctx.input.cluster, 'cluster', ctx.signal);
      const result = await followWorkspace({
        clusters: deps.clusters,
        cluster: ctx.input.cluster,
        namespace,
        name,
        timeoutMs: timeoutMinutes * 60_000,
        logger: ctx.logger,
        signal: ctx.signal,
      });
      ctx.output('phase', result.phase);
      ctx.output('reason', result.reason);
      ctx.output('ready', result.ready);
    },
  });
}
