import type { ActionContext } from '@backstage/plugin-scaffolder-node';
import { createHash } from 'node:crypto';
import { fieldError } from './errors';
import { KubeApi, KubeApiError } from './kubeApi';

/** The parts of a scaffolder action's context the apply flow uses. */
export type ApplyFlowContext = Pick<
  ActionContext<any, any>,
  'isDryRun' | 'logger' | 'signal' | 'checkpoint' | 'output'
>;

/** What {@link applyWithDryRun} applies, and how to name it to the user. */
export interface ApplyFlowTarget {
  /** The cluster to write to; absent only in a dry run whose cluster an earlier step would create. */
  api?: KubeApi;
  cluster: string;
  namespace: string;
  /** The kind as the user reads it: `Workspace`, `RAGEngine`. */
  kind: string;
  /** `<namespace>/<name>`. */
  ref: string;
  /** How the dry-run log line names it, e.g. `ns/name` or `RAGEngine ns/name`. */
  subject: string;
  /** Step id part of the checkpoint key: `kaito.<checkpoint>.apply.<cluster>.<ref>.<hash>`. */
  checkpoint: string;
  manifest: object;
  /** Server-side applies the manifest (`dryRun`: admission only), translating the cluster's errors. */
  apply(dryRun: boolean): Promise<any>;
  /** What the checkpoint keeps of the applied object; its `generation` is logged. */
  keep(obj: any): { generation: number; [k: string]: string | number };
  /** Shown before the generation in the "Applied" line, e.g. the apiVersion. */
  appliedNote?: string;
  /** The action's outputs, written in a dry run and after the apply. */
  outputs: Record<string, unknown>;
}

/**
 * The apply half every KAITO apply action shares: the cluster's own admission (a server-side
 * dry run, or of the namespace when it does not exist yet) answers before anything is created;
 * the scaffolder's dry-run mode stops there; otherwise the namespace and then the object are
 * applied under checkpoints, so a retried task does not apply twice.
 */
export async function applyWithDryRun(
  ctx: ApplyFlowContext,
  t: ApplyFlowTarget,
): Promise<void> {
  const { api, cluster, namespace } = t;
  const asked = api ? await serverDryRun(ctx, t, api) : undefined;
  if (asked === 'accepted') {
    ctx.logger.info(
      `${ctx.isDryRun ? 'Dry run: the' : 'The'} cluster accepted ${
        t.subject
      } in a server-side dry run (nothing was written)`,
    );
  } else if (asked === 'namespaceMissing') {
    ctx.logger.info(
      `${
        ctx.isDryRun ? 'Dry run: namespace' : 'Namespace'
      } '${namespace}' would be created; the cluster judges the ${
        t.kind
      } once it exists`,
    );
  }
  if (ctx.isDryRun) {
    for (const [k, v] of Object.entries(t.outputs)) ctx.output(k, v as any);
    return;
  }

  await ctx.checkpoint({
    key: `kaito.namespace.${cluster}.${namespace}`,
    fn: async () => {
      if (!(await namespaceExists(api!, namespace, ctx.signal))) {
        await api!.apply(
          namespacePath(namespace),
          namespaceManifest(namespace),
          {
            signal: ctx.signal,
          },
        );
        ctx.logger.info(`Created namespace ${namespace} on '${cluster}'`);
      }
      return { namespace };
    },
  });
  const applied = await ctx.checkpoint({
    key: `kaito.${t.checkpoint}.apply.${cluster}.${t.ref}.${createHash('sha256')
      .update(JSON.stringify(t.manifest))
      .digest('hex')
      .slice(0, 16)}`,
    fn: async () => t.keep(await t.apply(false)),
  });
  ctx.logger.info(
    `Applied ${t.kind} ${t.ref} (${
      t.appliedNote ? `${t.appliedNote}, ` : ''
    }generation ${applied.generation}) on cluster '${cluster}'`,
  );
  for (const [k, v] of Object.entries(t.outputs)) ctx.output(k, v as any);
}

/**
 * Asks the cluster to admit the object without writing (`dryRun=All`). A namespace that does
 * not exist yet cannot hold even a dry-run object, so then only the namespace's own creation is
 * dry-run.
 */
async function serverDryRun(
  ctx: ApplyFlowContext,
  t: ApplyFlowTarget,
  api: KubeApi,
): Promise<'accepted' | 'namespaceMissing'> {
  if (await namespaceExists(api, t.namespace, ctx.signal)) {
    await t.apply(true);
    return 'accepted';
  }
  await api.apply(namespacePath(t.namespace), namespaceManifest(t.namespace), {
    dryRun: true,
    signal: ctx.signal,
  });
  return 'namespaceMissing';
}

function namespacePath(name: string) {
  return `/api/v1/namespaces/${encodeURIComponent(name)}`;
}

function namespaceManifest(name: string) {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
}

async function namespaceExists(
  api: KubeApi,
  namespace: string,
  signal?: AbortSignal,
) {
  return !!(await api.getOptional(namespacePath(namespace), signal));
}

/**
 * The cluster's refusal of a manifest as an input error on `manifest`, or undefined for other
 * errors: 422 is the CRD schema or KAITO's rules as the API server reports them; 400 "admission
 * webhook ... denied the request" is KAITO's webhook itself. Each cause names the form input
 * behind its field where `inputFor` knows one.
 */
export function clusterRejection(
  error: unknown,
  what: string,
  inputFor: (field: string) => string | undefined,
  dryRun: boolean,
) {
  if (
    !(error instanceof KubeApiError) ||
    !(
      error.statusCode === 422 ||
      (error.statusCode === 400 && /denied the request/.test(error.message))
    )
  ) {
    return undefined;
  }
  const causes = error.causes
    .map(c => `${inputFor(c.field ?? '') ?? c.field}: ${c.message}`)
    .join('; ');
  return fieldError(
    'manifest',
    `the cluster rejected ${what}${
      dryRun ? ' in a server-side dry run, before anything was created' : ''
    }: ${causes || error.message}`,
  );
}
