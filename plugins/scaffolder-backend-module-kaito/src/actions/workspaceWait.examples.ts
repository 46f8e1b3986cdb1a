import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Wait for the Workspace applied by an earlier step',
    example: stringify({
      steps: [
        {
          id: 'ready',
          action: 'kaito:workspace:wait',
          name: 'Wait until the model serves',
          input: {
            cluster: '${{ steps.workspace.output.cluster }}',
            workspace: '${{ steps.workspace.output.workspace }}',
            timeoutMinutes: 45,
          },
        },
      ],
    }),
  },
];
