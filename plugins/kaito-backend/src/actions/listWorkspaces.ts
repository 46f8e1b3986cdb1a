import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  KAITO_WORKSPACE_ANNOTATION,
  kaitoWorkspaceListPermission,
  kaitoWorkspaceReadPermission,
} from '@kaito-backstage/plugin-kaito-common';
import { KaitoHttpError } from '../service/errors';
import { KaitoActionDeps } from './deps';

/** One Workspace row as an agent reads it. */
async function rowFor(
  deps: KaitoActionDeps,
  entityRef: string,
  credentials: BackstageCredentials,
) {
  const { kind, namespace, name } = parseRef(entityRef);
  try {
    const ctx = await deps.resolver.resolveFor(
      { kind, namespace, name },
      credentials,
      kaitoWorkspaceReadPermission,
      { allowExternal: false },
    );
    if (ctx.target.kind !== 'workspace') return undefined;
    const s = await deps.kaito.watcher.snapshot(ctx.target.key);
    return {
      entityRef,
      cluster: s.cluster,
      namespace: s.namespace,
      name: s.name,
      status: s.status,
      phase: s.readiness?.phase,
      reason: s.readiness?.reason ?? s.message,
      model: s.workspace?.preset,
      instanceType: s.workspace?.instanceType,
    };
  } catch (error) {
    // Entities the caller may not read are left out, as on the HTTP routes.
    if (error instanceof KaitoHttpError && error.status === 403)
      return undefined;
    if (error instanceof KaitoHttpError)
      return { entityRef, status: 'error' as const, reason: error.message };
    // A failed lookup (e.g. the permission backend unreachable) costs this
    // row, not the list. The ref is one the caller's catalog query returned.
    deps.logger.warn(
      `kaito list-workspaces: ${entityRef} could not be checked (${
        (error as Error).name
      }: ${(error as Error).message})`,
    );
    return {
      entityRef,
      status: 'error' as const,
      reason:
        'The permission check or Workspace lookup failed; try again, or call get-workspace-status for this entity',
    };
  }
}

/** Entities checked at a time, so a big catalog does not flood the permission backend. */
const CONCURRENCY = 16;

async function mapLimited<T, R>(
  items: T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, worker),
  );
  return out;
}

function parseRef(ref: string) {
  const [kind, rest] = ref.split(':');
  const [namespace, name] = rest.split('/');
  return { kind, namespace, name };
}

/** `kaito:list-workspaces`: the Workspaces of catalog entities the caller may read. */
export function registerListWorkspacesAction(deps: KaitoActionDeps) {
  deps.actionsRegistry.register({
    name: 'list-workspaces',
    title: 'List KAITO workspaces',
    description:
      'Lists the KAITO model Workspaces behind catalog entities you may read, with their readiness phase, model, instance type, cluster and entity ref. Use get-workspace-status for why one is not Ready.',
    visibilityPermission: kaitoWorkspaceListPermission,
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          cluster: z
            .string()
            .optional()
            .describe('Only Workspaces on this configured cluster'),
          phase: z
            .string()
            .optional()
            .describe('Only Workspaces in this readiness phase, e.g. Ready'),
        }),
      output: z =>
        z.object({
          items: z.array(
            z.object({
              entityRef: z.string(),
              cluster: z.string().optional(),
              namespace: z.string().optional(),
              name: z.string().optional(),
              status: z
                .enum(['found', 'notFound', 'unavailable', 'error'])
                .describe('found, notFound, unavailable (cluster) or error'),
              phase: z.string().optional(),
              reason: z.string().optional(),
              model: z.string().optional(),
              instanceType: z.string().optional(),
            }),
          ),
        }),
    },
    action: async ({ input, credentials }) => {
      const { items: entities } = await deps.catalog.getEntities(
        {
          filter: {
            [`metadata.annotations.${KAITO_WORKSPACE_ANNOTATION}`]:
              CATALOG_FILTER_EXISTS,
          },
          fields: ['kind', 'metadata.namespace', 'metadata.name'],
        },
        { credentials },
      );
      const rows = await mapLimited(entities, CONCURRENCY, e =>
        rowFor(deps, stringifyEntityRef(e), credentials),
      );
      const items = rows
        .filter(r => r !== undefined)
        .filter(r => !input.cluster || r.cluster === input.cluster)
        .filter(
          r =>
            !input.phase ||
            r.phase?.toLowerCase() === input.phase.toLowerCase(),
        )
        .sort((a, b) => a.entityRef.localeCompare(b.entityRef));
      return { output: { items } };
    },
  });
}
