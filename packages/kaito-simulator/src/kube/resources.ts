/**
 * The resource types the simulated API server serves. Storage is keyed by
 * group + plural, so one object is visible through every served version
 * (as `workspaces.kaito.sh` is through v1alpha1 and v1beta1).
 */

export interface ResourceType {
  group: string;
  /** Served versions, storage version first. */
  versions: string[];
  plural: string;
  singular: string;
  kind: string;
  listKind: string;
  namespaced: boolean;
  shortNames?: string[];
  /** Custom resources differ from built-ins in list items, delete answers and patch types. */
  custom: boolean;
  /** Has a `/status` subresource: the main endpoint ignores status and vice versa. */
  statusSubresource: boolean;
  /** Field selector keys the server accepts besides metadata.name / metadata.namespace. */
  fieldSelectors?: string[];
  verbs: string[];
}

const ALL_VERBS = [
  'create',
  'delete',
  'deletecollection',
  'get',
  'list',
  'patch',
  'update',
  'watch',
];

function builtin(
  group: string,
  version: string,
  plural: string,
  kind: string,
  namespaced: boolean,
  extra: Partial<ResourceType> = {},
): ResourceType {
  return {
    group,
    versions: [version],
    plural,
    singular: kind.toLowerCase(),
    kind,
    listKind: `${kind}List`,
    namespaced,
    custom: false,
    statusSubresource: true,
    verbs: ALL_VERBS,
    ...extra,
  };
}

export const NAMESPACES = builtin('', 'v1', 'namespaces', 'Namespace', false, {
  shortNames: ['ns'],
  fieldSelectors: ['status.phase'],
  verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
});
export const PODS = builtin('', 'v1', 'pods', 'Pod', true, {
  shortNames: ['po'],
  fieldSelectors: [
    'spec.nodeName',
    'spec.restartPolicy',
    'spec.schedulerName',
    'spec.serviceAccountName',
    'status.phase',
    'status.podIP',
    'status.nominatedNodeName',
  ],
});
export const SERVICES = builtin('', 'v1', 'services', 'Service', true, {
  shortNames: ['svc'],
  verbs: [
    'create',
    'delete',
    'deletecollection',
    'get',
    'list',
    'patch',
    'update',
    'watch',
  ],
});
export const EVENTS = builtin('', 'v1', 'events', 'Event', true, {
  shortNames: ['ev'],
  statusSubresource: false,
  fieldSelectors: [
    'involvedObject.kind',
    'involvedObject.namespace',
    'involvedObject.name',
    'involvedObject.uid',
    'involvedObject.apiVersion',
    'involvedObject.resourceVersion',
    'involvedObject.fieldPath',
    'reason',
    'reportingComponent',
    'source',
    'type',
  ],
});
export const SECRETS = builtin('', 'v1', 'secrets', 'Secret', true, {
  statusSubresource: false,
  fieldSelectors: ['type'],
});
export const CONFIGMAPS = builtin('', 'v1', 'configmaps', 'ConfigMap', true, {
  shortNames: ['cm'],
  statusSubresource: false,
});
export const NODES = builtin('', 'v1', 'nodes', 'Node', false, {
  shortNames: ['no'],
  fieldSelectors: ['spec.unschedulable'],
});
export const STATEFULSETS = builtin(
  'apps',
  'v1',
  'statefulsets',
  'StatefulSet',
  true,
  {
    shortNames: ['sts'],
  },
);
export const DEPLOYMENTS = builtin(
  'apps',
  'v1',
  'deployments',
  'Deployment',
  true,
  {
    shortNames: ['deploy'],
  },
);
export const JOBS = builtin('batch', 'v1', 'jobs', 'Job', true, {
  fieldSelectors: ['status.successful'],
});
// Served (empty unless written) because Backstage's Kubernetes plugin lists them by default.
export const REPLICASETS = builtin(
  'apps',
  'v1',
  'replicasets',
  'ReplicaSet',
  true,
  { shortNames: ['rs'] },
);
export const DAEMONSETS = builtin(
  'apps',
  'v1',
  'daemonsets',
  'DaemonSet',
  true,
  { shortNames: ['ds'] },
);
export const CRONJOBS = builtin('batch', 'v1', 'cronjobs', 'CronJob', true, {
  shortNames: ['cj'],
});
export const HPAS: ResourceType = {
  ...builtin(
    'autoscaling',
    'v2',
    'horizontalpodautoscalers',
    'HorizontalPodAutoscaler',
    true,
    { shortNames: ['hpa'] },
  ),
  versions: ['v2', 'v1'],
};
export const INGRESSES = builtin(
  'networking.k8s.io',
  'v1',
  'ingresses',
  'Ingress',
  true,
  { shortNames: ['ing'] },
);
export const LIMITRANGES = builtin(
  '',
  'v1',
  'limitranges',
  'LimitRange',
  true,
  { shortNames: ['limits'], statusSubresource: false },
);
export const RESOURCEQUOTAS = builtin(
  '',
  'v1',
  'resourcequotas',
  'ResourceQuota',
  true,
  { shortNames: ['quota'] },
);

export const NODECLAIMS: ResourceType = {
  group: 'karpenter.sh',
  versions: ['v1'],
  plural: 'nodeclaims',
  singular: 'nodeclaim',
  kind: 'NodeClaim',
  listKind: 'NodeClaimList',
  namespaced: false,
  custom: true,
  statusSubresource: true,
  verbs: ALL_VERBS,
};
export const WORKSPACES: ResourceType = {
  group: 'kaito.sh',
  versions: ['v1beta1', 'v1alpha1'],
  plural: 'workspaces',
  singular: 'workspace',
  kind: 'Workspace',
  listKind: 'WorkspaceList',
  namespaced: true,
  shortNames: ['wk', 'wks'],
  custom: true,
  statusSubresource: true,
  verbs: ALL_VERBS,
};

/** KAITO's RAGEngine CRD (`kaito.sh_ragengines.yaml`: v1beta1 storage, v1alpha1 served, shortName rag). */
export const RAGENGINES: ResourceType = {
  group: 'kaito.sh',
  versions: ['v1beta1', 'v1alpha1'],
  plural: 'ragengines',
  singular: 'ragengine',
  kind: 'RAGEngine',
  listKind: 'RAGEngineList',
  namespaced: true,
  shortNames: ['rag'],
  custom: true,
  statusSubresource: true,
  verbs: ALL_VERBS,
};

/** The CRDs the KAITO add-on installs. */
export const KAITO_RESOURCES: ResourceType[] = [WORKSPACES, RAGENGINES];

export const CORE_RESOURCES: ResourceType[] = [
  NAMESPACES,
  PODS,
  SERVICES,
  EVENTS,
  SECRETS,
  CONFIGMAPS,
  NODES,
  STATEFULSETS,
  DEPLOYMENTS,
  JOBS,
  NODECLAIMS,
  REPLICASETS,
  DAEMONSETS,
  CRONJOBS,
  HPAS,
  INGRESSES,
  LIMITRANGES,
  RESOURCEQUOTAS,
];

/** The resources of one simulated cluster: the KAITO CRD only when the add-on is installed. */
export class ResourceRegistry {
  readonly all: ResourceType[];

  constructor(kaitoInstalled: boolean) {
    this.all = kaitoInstalled
      ? [...CORE_RESOURCES, ...KAITO_RESOURCES]
      : [...CORE_RESOURCES];
  }

  get kaitoInstalled(): boolean {
    return this.all.includes(WORKSPACES);
  }

  /** Installing the KAITO add-on registers its CRDs. */
  installKaito(): void {
    if (!this.kaitoInstalled) this.all.push(...KAITO_RESOURCES);
  }

  find(
    group: string,
    version: string,
    plural: string,
  ): ResourceType | undefined {
    return this.all.find(
      r =>
        r.group === group &&
        r.plural === plural &&
        r.versions.includes(version),
    );
  }

  byKind(apiVersion: string, kind: string): ResourceType | undefined {
    const { group, version } = splitApiVersion(apiVersion);
    return this.all.find(
      r => r.group === group && r.kind === kind && r.versions.includes(version),
    );
  }

  groupVersions(): Array<{ group: string; versions: string[] }> {
    const map = new Map<string, string[]>();
    for (const r of this.all) {
      if (!r.group) continue;
      const vs = map.get(r.group) ?? [];
      for (const v of r.versions) if (!vs.includes(v)) vs.push(v);
      map.set(r.group, vs);
    }
    return [...map.entries()].map(([group, versions]) => ({ group, versions }));
  }
}

export function apiVersionOf(group: string, version: string): string {
  return group ? `${group}/${version}` : version;
}

export function splitApiVersion(apiVersion: string): {
  group: string;
  version: string;
} {
  const i = apiVersion.lastIndexOf('/');
  return i < 0
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

/** Storage key: version independent. */
export function resourceKey(r: ResourceType): string {
  return `${r.group}/${r.plural}`;
}
