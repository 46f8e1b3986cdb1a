import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import type { KaitoClusters } from '@kaito-backstage/plugin-kaito-node';
import { ragEngineReadiness } from '@kaito-backstage/plugin-kaito-common';
import { clusterApi, parseWorkspaceInput } from '../lib/clusters';
import { FollowError } from '../lib/follow';
import { KubeApi } from '../lib/kubeApi';
import { ragEnginePath } from '../lib/ragEngineManifest';
import { examples } from './ragengineWait.examples';

/** The label KAITO puts on a RAGEngine's pods and NodeClaims. */
const RAGENGINE_LABEL = 'kaito.sh/ragengine';
const NODECLAIMS = '/apis/karpenter.sh/v1/nodeclaims';
const POLL_MS = 1000;

function seconds(ms: number) {
  const s = Math.round(ms / 1000);
  return s >= 120 ? `${Math.floor(s / 60)}m${s % 60}s` : `${s}s`;
}

function sleep(ms: number, signal?: AbortSignal) {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(
          Object.assign(new Error('Waiting for the RAGEngine was cancelled'), {
            name: 'AbortError',
          }),
        );
      },
      { once: true },
    );
  });
}

async function items(
  api: KubeApi,
  path: string,
  selector: string,
  signal?: AbortSignal,
) {
  const list = await api
    .request<{ items?: any[] }>('GET', path, {
      query: { labelSelector: selector },
      signal,
    })
    .catch(error => {
      // No Karpenter on the cluster (BYO nodes): no NodeClaims to read.
      if ((error as { statusCode?: number }).statusCode === 404)
        return { items: [] };
      throw error;
    });
  return list.items ?? [];
}

/**
 * `kaito:ragengine:wait`: polls a RAGEngine, its pods and NodeClaims and
 * reads them with kaito-common's `ragEngineReadiness` (KAITO's conditions,
 * `ServiceReady` and `RAGEngineServiceReady` both) until Ready; fails on a
 * terminal failure with the reason and fix; on timeout leaves it in place.
 */
export function createRagEngineWaitAction(deps: { clusters: KaitoClusters }) {
  return createTemplateAction({
    id: 'kaito:ragengine:wait',
    description:
      'Waits until a KAITO RAGEngine is Ready (RAGEngineSucceeded, service up), logging each phase change with its reason',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        cluster: z =>
          z
            .string()
            .min(1)
            .describe('Cluster name in the KAITO cluster registry'),
        ragengine: z => z.string().min(1).describe('"<namespace>/<name>"'),
        timeoutMinutes: z =>
          z
            .number()
            .positive()
            .max(24 * 60)
            .optional()
            .describe(
              'Give up after this long (default 15); the RAGEngine stays',
            ),
      },
      output: {
        phase: z => z.string(),
        reason: z => z.string(),
        ready: z => z.boolean(),
      },
    },
    async handler(ctx) {
      const { namespace, name } = parseWorkspaceInput(
        ctx.input.ragengine,
        'ragengine',
      );
      const ref = `${namespace}/${name}`;
      const timeoutMinutes = ctx.input.timeoutMinutes ?? 15;
      if (ctx.isDryRun) {
        ctx.output('phase', 'Pending');
        ctx.output(
          'reason',
          `Dry run: would wait up to ${timeoutMinutes} minutes for RAGEngine ${ref} on '${ctx.input.cluster}' to become Ready`,
        );
        ctx.output('ready', false);
        return;
      }
      const api = await clusterApi(
        deps.clusters,
        ctx.input.cluster,
        'cluster',
        ctx.signal,
      );
      const started = Date.now();
      const deadline = started + timeoutMinutes * 60_000;
      const selector = `${RAGENGINE_LABEL}=${name}`;
      let lastLine = '';
      let last = { phase: 'Unknown', reason: 'no status observed yet' };
      for (;;) {
        const engine = await api.getOptional(
          ragEnginePath(namespace, name),
          ctx.signal,
        );
        if (!engine) {
          throw new FollowError(
            `RAGEngine ${ref} does not exist on cluster '${ctx.input.cluster}'; apply it first (kaito:ragengine:apply)`,
            { ...last, ready: false },
          );
        }
        const r = ragEngineReadiness(engine, {
          pods: await items(
            api,
            `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`,
            selector,
            ctx.signal,
          ),
          nodeClaims: engine.spec?.compute?.instanceType
            ? await items(api, NODECLAIMS, selector, ctx.signal)
            : [],
        });
        last = { phase: r.phase, reason: r.reason };
        const line = `${r.phase}: ${r.reason}`;
        if (line !== lastLine) {
          ctx.logger.info(
            `RAGEngine ${ref}: ${line} (after ${seconds(
              Date.now() - started,
            )})`,
          );
          lastLine = line;
        }
        if (r.phase === 'Ready') break;
        if (r.phase === 'Failed' || r.outcome === 'terminal') {
          throw new FollowError(
            `RAGEngine ${ref} failed (${r.phase}${
              r.cause ? `, ${r.cause}` : ''
            }): ${r.reason}`,
            { ...last, ready: false },
          );
        }
        if (Date.now() >= deadline) {
          throw new FollowError(
            `Gave up waiting for RAGEngine ${ref} on '${
              ctx.input.cluster
            }' after ${seconds(
              Date.now() - started,
            )}; it is left in place. Current phase ${r.phase}: ${r.reason}`,
            { ...last, ready: false },
          );
        }
        await sleep(POLL_MS, ctx.signal);
      }
      ctx.output('phase', last.phase);
      ctx.output('reason', last.reason);
      ctx.output('ready', true);
    },
  });
}
