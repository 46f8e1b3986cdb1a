import { apiVersionOf, ResourceRegistry, ResourceType } from './resources';

/** Discovery documents (`/api`, `/apis`, `/apis/<group>/<version>`) clients use to map kinds to paths. */

export const SIMULATED_KUBERNETES_VERSION = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.6',
};

export function versionInfo() {
  return {
    ...SIMULATED_KUBERNETES_VERSION,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2025-06-17T00:00:00Z',
    goVersion: 'go1.23.10',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

export function apiVersions(serverAddress: string) {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function apiGroup(group: string, versions: string[]) {
  return {
    name: group,
    versions: versions.map(v => ({
      groupVersion: `${group}/${v}`,
      version: v,
    })),
    preferredVersion: {
      groupVersion: `${group}/${versions[0]}`,
      version: versions[0],
    },
  };
}

export function apiGroupList(registry: ResourceRegistry) {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: registry.groupVersions().map(g => apiGroup(g.group, g.versions)),
  };
}

export function apiGroupDoc(registry: ResourceRegistry, group: string) {
  const g = registry.groupVersions().find(x => x.group === group);
  return g
    ? { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(g.group, g.versions) }
    : undefined;
}

function entries(r: ResourceType) {
  const base = {
    name: r.plural,
    singularName: r.singular,
    namespaced: r.namespaced,
    kind: r.kind,
    verbs: r.verbs,
    ...(r.shortNames ? { shortNames: r.shortNames } : {}),
    ...(r.custom
      ? { categories: r.group === 'kaito.sh' ? ['workspace'] : undefined }
      : {}),
    storageVersionHash: Buffer.from(`${r.group}/${r.plural}`)
      .toString('base64')
      .slice(0, 11),
  };
  const out: Array<Record<string, unknown>> = [base];
  if (r.statusSubresource) {
    out.push({
      name: `${r.plural}/status`,
      singularName: '',
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: ['get', 'patch', 'update'],
    });
  }
  if (r.plural === 'services') {
    out.push({
      name: 'services/proxy',
      singularName: '',
      namespaced: true,
      kind: 'ServiceProxyOptions',
      verbs: ['create', 'delete', 'get', 'patch', 'update'],
    });
  }
  return out;
}

export function apiResourceList(
  registry: ResourceRegistry,
  group: string,
  version: string,
) {
  const resources = registry.all.filter(
    r => r.group === group && r.versions.includes(version),
  );
  if (resources.length === 0) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: apiVersionOf(group, version),
    resources: resources.flatMap(entries),
  };
}
