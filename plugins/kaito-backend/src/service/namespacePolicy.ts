/**
 * Namespaces that hold a cluster's own machinery. An entity may not point a
 * chat or readiness route at them unless `kaito.allowedNamespaces` lists
 * them by name: any catalog author can write an annotation.
 */
export const SYSTEM_NAMESPACES: readonly string[] = [
  'kube-system',
  'kube-public',
  'kube-node-lease',
  'kaito-system',
  'gpu-provisioner',
  'karpenter',
  'calico-system',
  'tigera-operator',
  'gatekeeper-system',
  'app-routing-system',
  'cert-manager',
];

/**
 * Why namespace may not be used, or undefined when it may. With
 * `allowedNamespaces` set, only those are allowed; without it, every
 * namespace but the system ones (and any `kube-*`).
 */
export function namespaceRefusal(
  namespace: string,
  allowedNamespaces?: string[],
): string | undefined {
  if (allowedNamespaces) {
    return allowedNamespaces.includes(namespace)
      ? undefined
      : `namespace '${namespace}', which kaito.allowedNamespaces does not include; use an allowed namespace or ask your Backstage administrator to add it`;
  }
  if (SYSTEM_NAMESPACES.includes(namespace) || namespace.startsWith('kube-')) {
    return `system namespace '${namespace}', which is refused unless kaito.allowedNamespaces lists it; deploy the Workspace in an application namespace`;
  }
  return undefined;
}
