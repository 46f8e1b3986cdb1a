import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Fail early when the A100 family quota in eastus cannot hold the workspace',
    example: stringify({
      steps: [
        {
          id: 'quota',
          action: 'kaito:quota:check',
          name: 'Check GPU quota',
          input: {
            model: 'phi-4-mini-instruct',
            instanceType: 'Standard_NC24ads_A100_v4',
            location: 'eastus',
          },
        },
      ],
    }),
  },
];
