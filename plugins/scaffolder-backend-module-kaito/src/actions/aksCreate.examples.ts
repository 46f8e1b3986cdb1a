import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Create an AKS cluster with the KAITO add-on, tagged for catalog discovery',
    example: stringify({
      steps: [
        {
          id: 'aks',
          action: 'kaito:aks:create',
          name: 'Create the AKS cluster',
          input: {
            resourceGroup: 'rg-kaito',
            createResourceGroup: true,
            location: 'eastus',
            name: 'aks-kaito',
            networkPlugin: 'azure',
            networkPluginMode: 'overlay',
            tags: { env: 'dev' },
            owner: 'group:default/ml-platform',
            system: 'llm-serving',
          },
        },
      ],
    }),
  },
];
