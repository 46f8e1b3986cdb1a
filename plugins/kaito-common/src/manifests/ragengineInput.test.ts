import { buildRagEngine } from './ragengine';

const RAG = {
  name: 'rag',
  instanceType: 'Standard_NC24ads_A100_v4',
  embedding: { local: { modelID: 'BAAI/bge-small-en-v1.5' } },
};

describe('buildRagEngine input', () => {
  it.each([
    ['Standard_NC24ads_A100_v4 ', 'Standard_NC24ads_A100_v4'],
    [' standard_nc24ads_a100_v4', 'Standard_NC24ads_A100_v4'],
  ])(
    'writes instanceType %j as the SKU table spells it (%j), like the Workspace builders',
    (instanceType, canonical) => {
      expect(
        buildRagEngine({ ...RAG, instanceType }).spec.compute?.instanceType,
      ).toBe(canonical);
    },
  );

  it('takes no Workspace apiVersion (it always builds kaito.sh/v1beta1)', () => {
    // @ts-expect-error apiVersion is a Workspace builder input only
    const rag = buildRagEngine({ ...RAG, apiVersion: 'kaito.sh/v1alpha1' });
    expect(rag.apiVersion).toBe('kaito.sh/v1beta1');
  });
});
