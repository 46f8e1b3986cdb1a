import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Wait for the RAGEngine applied by an earlier step',
    example: stringify({
      steps: [
        {
          id: 'ready',
          action: 'kaito:ragengine:wait',
          name: 'Wait until the RAG engine answers',
          input: {
            cluster: '${{ steps.rag.output.cluster }}',
            ragengine: '${{ steps.rag.output.ragengine }}',
            timeoutMinutes: 20,
          },
        },
      ],
    }),
  },
];
