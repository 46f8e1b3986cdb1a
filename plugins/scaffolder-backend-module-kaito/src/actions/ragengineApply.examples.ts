import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'A RAGEngine in front of a workspace entity: local embedding model on CPU nodes, in-process FAISS index',
    example: stringify({
      steps: [
        {
          id: 'rag',
          action: 'kaito:ragengine:apply',
          name: 'Apply the KAITO RAGEngine',
          input: {
            workspace: 'resource:default/phi-4-mini',
            name: 'support-docs',
            owner: 'group:default/ml-platform',
          },
        },
      ],
    }),
  },
  {
    description:
      'Embedding model on a GPU node, index persisted on a PVC, guardrails on, its own index name',
    example: stringify({
      steps: [
        {
          id: 'rag',
          action: 'kaito:ragengine:apply',
          input: {
            workspace: 'resource:default/phi-4-mini',
            name: 'handbook',
            namespace: 'team-docs',
            embeddingModelID: 'BAAI/bge-base-en-v1.5',
            instanceType: 'Standard_NC24ads_A100_v4',
            persistentVolumeClaim: 'handbook-index',
            guardrails: true,
            index: 'handbook-2026',
          },
        },
      ],
    }),
  },
  {
    description:
      'A remote embedding service and an external Qdrant vector database',
    example: stringify({
      steps: [
        {
          id: 'rag',
          action: 'kaito:ragengine:apply',
          input: {
            workspace: 'resource:default/phi-4-mini',
            name: 'wiki',
            embeddingUrl: 'https://embeddings.example.com/v1/embeddings',
            embeddingAccessSecret: 'embedding-key',
            vectorDbUrl: 'http://qdrant.vector.svc.cluster.local:6333',
            vectorDbAccessSecret: 'qdrant-key',
          },
        },
      ],
    }),
  },
];
