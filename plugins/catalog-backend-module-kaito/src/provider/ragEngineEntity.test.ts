import { getEntityRagEngineRef } from '@kaito-backstage/plugin-kaito-common';
import { ragEngineEntity } from './ragEngineEntity';
import { entityProblem } from './validateEntity';

const rag = (annotations: Record<string, string>, extra: object = {}) => ({
  apiVersion: 'kaito.sh/v1beta1',
  kind: 'RAGEngine',
  metadata: {
    name: 'team-docs',
    namespace: 'team-a',
    labels: { 'backstage.io/kubernetes-id': 'docs' },
    annotations,
    ...extra,
  },
});

describe('ragEngineEntity', () => {
  it('a RAGEngine written by kaito:ragengine:apply becomes a valid rag-engine Resource depending on its workspace', async () => {
    const entity = ragEngineEntity(
      'sim',
      rag({
        'backstage.io/owner': 'group:default/ml-platform',
        'backstage.io/system': 'llm-platform',
        'kaito.sh/rag-index': 'handbook',
        'kaito.sh/depends-on': 'resource:default/phi-mini',
      }),
    )!;
    expect(await entityProblem(entity)).toBeUndefined();
    expect(entity.metadata.name).toBe('docs');
    expect(entity.metadata.annotations).toMatchObject({
      'kaito.sh/ragengine': 'team-a/team-docs',
      'kaito.sh/cluster': 'sim',
      'kaito.sh/rag-index': 'handbook',
      'backstage.io/managed-by-location':
        'kaito-ragengine:sim/team-a/team-docs',
    });
    expect(entity.spec).toEqual({
      type: 'rag-engine',
      owner: 'group:default/ml-platform',
      system: 'llm-platform',
      dependsOn: ['resource:default/phi-mini'],
    });
    // The backend reads it back as the contract says.
    expect(getEntityRagEngineRef(entity)).toEqual({
      namespace: 'team-a',
      name: 'team-docs',
      cluster: 'sim',
      index: 'handbook',
    });
  });

  it('without kaito.sh/depends-on it depends on its cluster; without an index annotation the backend uses the name', () => {
    const entity = ragEngineEntity(
      'sim',
      rag({ 'backstage.io/owner': 'user:default/mock' }),
    )!;
    expect(entity.spec?.dependsOn).toEqual(['resource:default/sim']);
    expect(getEntityRagEngineRef(entity)?.index).toBe('team-docs');
  });

  it('ignores RAGEngines without an owner and ones being deleted', () => {
    expect(ragEngineEntity('sim', rag({}))).toBeUndefined();
    expect(
      ragEngineEntity(
        'sim',
        rag(
          { 'backstage.io/owner': 'user:default/mock' },
          { deletionTimestamp: '2026-01-01T00:00:00Z' },
        ),
      ),
    ).toBeUndefined();
  });
});
