import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Remove a Workspace and wait until its GPU nodes are released',
    example: stringify({
      steps: [
        {
          id: 'cleanup',
          action: 'kaito:workspace:delete',
          name: 'Delete the Workspace',
          input: {
            cluster: 'aks-kaito',
            workspace: 'default/workspace-phi-4-mini',
            timeoutMinutes: 15,
          },
        },
      ],
    }),
  },
];
