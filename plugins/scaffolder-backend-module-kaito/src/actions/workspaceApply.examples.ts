import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Serve Phi-4-mini on one A100 node and label it for the catalog',
    example: stringify({
      steps: [
        {
          id: 'workspace',
          action: 'kaito:workspace:apply',
          name: 'Apply the KAITO Workspace',
          input: {
            cluster: 'aks-kaito',
            namespace: 'default',
            name: 'workspace-phi-4-mini',
            model: 'phi-4-mini-instruct',
            instanceType: 'Standard_NC24ads_A100_v4',
            owner: 'group:default/ml-platform',
            system: 'llm-serving',
          },
        },
      ],
    }),
  },
  {
    description:
      'A gated Llama model with a Hugging Face token Secret and a LoRA adapter',
    example: stringify({
      steps: [
        {
          id: 'workspace',
          action: 'kaito:workspace:apply',
          input: {
            cluster: 'aks-kaito',
            namespace: 'llm',
            name: 'llama-3-1-8b',
            model: 'meta-llama/Llama-3.1-8B-Instruct',
            instanceType: 'Standard_NC24ads_A100_v4',
            hfTokenSecret: 'hf-token',
            adapters: [
              {
                name: 'support-tone',
                image: 'myacr.azurecr.io/adapters/support:1',
              },
            ],
          },
        },
      ],
    }),
  },
  {
    description:
      'QLoRA tuning with training data from URLs, result pushed as an image',
    example: stringify({
      steps: [
        {
          id: 'tune',
          action: 'kaito:workspace:apply',
          input: {
            cluster: 'aks-kaito',
            namespace: 'default',
            name: 'tune-phi-4-mini',
            model: 'phi-4-mini-instruct',
            instanceType: 'Standard_NC24ads_A100_v4',
            tuning: {
              method: 'qlora',
              inputUrls: ['https://example.com/dataset.parquet'],
              outputImage: 'myacr.azurecr.io/adapters/phi-4-support:1',
              outputPushSecret: 'acr-push',
            },
          },
        },
      ],
    }),
  },
];
