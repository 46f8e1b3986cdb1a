import { KaitoAnnotationError } from './errors';
import { getEntityRagEngineRef } from './ragAnnotations';

const entity = (annotations: Record<string, string>) => ({
  metadata: { annotations },
});

describe('getEntityRagEngineRef', () => {
  it('is undefined without the annotation', () => {
    expect(getEntityRagEngineRef(entity({}))).toBeUndefined();
  });

  it('reads namespace/name and defaults the index to the RAGEngine name', () => {
    expect(
      getEntityRagEngineRef(
        entity({ 'kaito.sh/ragengine': 'rag/ragengine-phi' }),
      ),
    ).toEqual({
      namespace: 'rag',
      name: 'ragengine-phi',
      index: 'ragengine-phi',
    });
  });

  it('reads the cluster and the index annotations', () => {
    expect(
      getEntityRagEngineRef(
        entity({
          'kaito.sh/ragengine': 'default/docs',
          'kaito.sh/cluster': ' aks-1 ',
          'kaito.sh/rag-index': 'team-docs',
        }),
      ),
    ).toEqual({
      namespace: 'default',
      name: 'docs',
      cluster: 'aks-1',
      index: 'team-docs',
    });
  });

  it.each([
    ['default', /kaito\.sh\/ragengine.*exactly one '\/'/],
    ['Default/x', /kaito\.sh\/ragengine.*RAGEngine namespace/],
    ['', /kaito\.sh\/ragengine.*empty/],
  ])('names the ragengine annotation for %j', (value, message) => {
    const run = () =>
      getEntityRagEngineRef(entity({ 'kaito.sh/ragengine': value }));
    expect(run).toThrow(KaitoAnnotationError);
    expect(run).toThrow(message);
    expect(run).not.toThrow(/kaito\.sh\/workspace/);
  });

  it.each(['', 'a/b', '../x', '-x', 'x'.repeat(64)])(
    'refuses the index %j with the rule and the default',
    index => {
      expect(() =>
        getEntityRagEngineRef(
          entity({
            'kaito.sh/ragengine': 'ns/rag',
            'kaito.sh/rag-index': index,
          }),
        ),
      ).toThrow(/kaito\.sh\/rag-index must be 1-63 .*"rag"/);
    },
  );

  it('refuses a cluster with a slash', () => {
    expect(() =>
      getEntityRagEngineRef(
        entity({ 'kaito.sh/ragengine': 'ns/rag', 'kaito.sh/cluster': 'a/b' }),
      ),
    ).toThrow(/kaito\.sh\/cluster is not a valid cluster name/);
  });
});
