import type { Entity } from '@backstage/catalog-model';
import { kaitoEntityTarget } from './useKaitoWorkspace';

const entity = (annotations: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: { name: 'phi', annotations },
});

describe('kaitoEntityTarget', () => {
  it('reads a workspace, with and without a cluster', () => {
    expect(
      kaitoEntityTarget(entity({ 'kaito.sh/workspace': 'kaito-demo/phi' })),
    ).toEqual({ kind: 'workspace', namespace: 'kaito-demo', name: 'phi' });
    expect(
      kaitoEntityTarget(
        entity({
          'kaito.sh/workspace': 'kaito-demo/phi',
          'kaito.sh/cluster': 'aks-west',
        }),
      ),
    ).toEqual({
      kind: 'workspace',
      namespace: 'kaito-demo',
      name: 'phi',
      cluster: 'aks-west',
    });
  });

  it('reads an external target', () => {
    expect(
      kaitoEntityTarget(entity({ 'kaito.sh/external-target': 'azure-openai' })),
    ).toEqual({ kind: 'external', name: 'azure-openai' });
  });

  it('says when nothing names a target', () => {
    expect(kaitoEntityTarget(entity({}))).toEqual({ kind: 'missing' });
  });

  it('names the problem of a malformed annotation and the expected form', () => {
    const target = kaitoEntityTarget(entity({ 'kaito.sh/workspace': 'phi' }));
    expect(target.kind).toBe('invalid');
    expect((target as { message: string }).message).toMatch(
      /kaito\.sh\/workspace.*<namespace>\/<name>/,
    );
    expect(
      kaitoEntityTarget(entity({ 'kaito.sh/cluster': 'aks-west' })).kind,
    ).toBe('invalid');
  });

  it('refuses both annotations at once', () => {
    const target = kaitoEntityTarget(
      entity({
        'kaito.sh/workspace': 'kaito-demo/phi',
        'kaito.sh/external-target': 'azure-openai',
      }),
    );
    expect(target).toEqual({
      kind: 'invalid',
      message: expect.stringContaining('keep one'),
    });
  });
});
