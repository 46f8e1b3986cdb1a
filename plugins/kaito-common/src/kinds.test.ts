import { isInferenceSet, isRAGEngine, workspaceServedModelName } from './kinds';
import { normalizeWorkspace } from './workspace';

describe('kinds', () => {
  it('recognizes RAGEngine and InferenceSet (both with .spec)', () => {
    const rag = {
      apiVersion: 'kaito.sh/v1beta1',
      kind: 'RAGEngine',
      metadata: { name: 'r' },
      spec: { embedding: {} },
    };
    expect(isRAGEngine(rag)).toBe(true);
    expect(isRAGEngine({ ...rag, spec: undefined })).toBe(false);
    expect(
      isInferenceSet({
        ...rag,
        kind: 'InferenceSet',
        apiVersion: 'kaito.sh/v1alpha1',
      }),
    ).toBe(true);
    expect(isInferenceSet(rag)).toBe(false);
    expect(isInferenceSet(null)).toBe(false);
  });

  it('serves an InferenceSet child under the InferenceSet name', () => {
    const base = {
      apiVersion: 'kaito.sh/v1beta1',
      kind: 'Workspace',
      inference: { preset: { name: 'mistral-7b' } },
    };
    expect(
      workspaceServedModelName(
        normalizeWorkspace({ ...base, metadata: { name: 'w' } }),
      ),
    ).toBe('mistral-7b-v0.3');
    expect(
      workspaceServedModelName(
        normalizeWorkspace({
          ...base,
          metadata: {
            name: 'is-abc',
            labels: { 'inferenceset.kaito.sh/created-by': 'my-set' },
          },
        }),
      ),
    ).toBe('my-set');
    expect(
      workspaceServedModelName(
        normalizeWorkspace({
          ...base,
          inference: { template: {} },
          metadata: { name: 'w' },
        }),
      ),
    ).toBeUndefined();
  });
});
