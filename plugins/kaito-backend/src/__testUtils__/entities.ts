import { Entity } from '@backstage/catalog-model';

/** A catalog Component carrying KAITO annotations. */
export function component(
  name: string,
  annotations: Record<string, string>,
  owner = 'group:default/team-a',
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: { type: 'service', lifecycle: 'experimental', owner },
  };
}

/** A Component pointing at `<namespace>/<workspace>`. */
export function workspaceEntity(
  name: string,
  workspace = `default/${name}`,
  cluster?: string,
): Entity {
  return component(name, {
    'kaito.sh/workspace': workspace,
    ...(cluster ? { 'kaito.sh/cluster': cluster } : {}),
  });
}

/** A KAITO inference Workspace manifest (v1beta1). */
export function workspaceManifest(
  name: string,
  opts: {
    namespace?: string;
    annotations?: Record<string, string>;
    preset?: string;
  } = {},
) {
  return {
    apiVersion: 'kaito.sh/v1beta1',
    kind: 'Workspace',
    metadata: {
      name,
      namespace: opts.namespace ?? 'default',
      annotations: opts.annotations ?? {},
    },
    resource: {
      instanceType: 'Standard_NC24ads_A100_v4',
      labelSelector: { matchLabels: { apps: name } },
    },
    inference: { preset: { name: opts.preset ?? 'phi-4-mini-instruct' } },
  };
}
