import {
  KAITO_WORKSPACE_LABEL,
  KAITO_WORKSPACE_NAMESPACE_LABEL,
  KubePod,
  NodeClaim,
} from '@kaito-backstage/plugin-kaito-common';

/**
 * The one key format of the workspace cache: `namespace/name`. Cluster-scoped
 * objects (NodeClaims) have an empty namespace, so their ref is `/name`. The
 * brands keep a Workspace's ref and another object's ref from being mixed up.
 */
export type WorkspaceRef = string & { readonly __ref: 'Workspace' };
export type ObjectRef = string & { readonly __ref: 'Object' };

/** The ref of a Workspace; a missing namespace is `default`, as the API server reads it. */
export function workspaceRef(
  namespace: string | undefined,
  name: string,
): WorkspaceRef {
  return `${namespace ?? 'default'}/${name}` as WorkspaceRef;
}

/** Namespace and name back from a Workspace ref. */
export function parseWorkspaceRef(ref: WorkspaceRef): {
  namespace: string;
  name: string;
} {
  const i = ref.indexOf('/');
  return { namespace: ref.slice(0, i), name: ref.slice(i + 1) };
}

/** The ref of any object; cluster-scoped objects have none (`/name`). */
export function objectRef(
  namespace: string | undefined,
  name: string | undefined,
): ObjectRef {
  return `${namespace ?? ''}/${name}` as ObjectRef;
}

/** The Workspace a pod serves, from KAITO's label. */
export function podOwner(p: KubePod): WorkspaceRef | undefined {
  const ws = p?.metadata?.labels?.[KAITO_WORKSPACE_LABEL];
  return ws ? workspaceRef(p.metadata.namespace, ws) : undefined;
}

/** The Workspace a NodeClaim was made for, from KAITO's labels. */
export function claimOwner(c: NodeClaim): WorkspaceRef | undefined {
  const labels = c?.metadata?.labels ?? {};
  const ws = labels[KAITO_WORKSPACE_LABEL];
  return ws
    ? workspaceRef(labels[KAITO_WORKSPACE_NAMESPACE_LABEL], ws)
    : undefined;
}
