/** What the start command seeds: one namespace and one phi-4-mini Workspace for the catalog's example entity. */
export const DEMO_SEED = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kaito-demo' } },
  {
    apiVersion: 'kaito.sh/v1beta1',
    kind: 'Workspace',
    metadata: {
      name: 'phi-4-mini',
      namespace: 'kaito-demo',
      labels: { 'backstage.io/kubernetes-id': 'phi-4-mini' },
    },
    resource: {
      instanceType: 'Standard_NC24ads_A100_v4',
      labelSelector: { matchLabels: { apps: 'phi-4-mini' } },
    },
    inference: { preset: { name: 'phi-4-mini-instruct' } },
  },
];
