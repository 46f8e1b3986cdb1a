import { KubeError } from './errors';
import {
  decodeFields,
  encodeFields,
  fieldPaths,
  recordUpdate,
  serverSideApply,
} from './managedFields';
import { WORKSPACES } from './resources';
import { KubeObject } from './types';

const ws = (
  labels: Record<string, string>,
  preset = 'phi-4-mini-instruct',
): KubeObject => ({
  apiVersion: 'kaito.sh/v1beta1',
  kind: 'Workspace',
  metadata: { name: 'w', namespace: 'default', labels },
  resource: { instanceType: 'Standard_NC24ads_A100_v4' },
  inference: { preset: { name: preset } },
});

describe('managed fields', () => {
  it('round-trips field sets through the fieldsV1 encoding', () => {
    const paths = fieldPaths(
      { ...ws({ 'kaito.sh/x': 'y' }), status: { state: 'Ready' } },
      WORKSPACES,
    );
    expect(paths).toContainEqual(['metadata', 'labels', 'kaito.sh/x']);
    expect(paths).not.toContainEqual(['metadata', 'name']);
    expect(paths.some(p => p[0] === 'status')).toBe(false);
    const encoded = encodeFields(paths);
    expect(encoded['f:metadata']).toEqual({
      'f:labels': { 'f:kaito.sh/x': {} },
    });
    expect(decodeFields(encoded).sort()).toEqual(paths.sort());
  });

  it('removes fields a manager stops applying, keeps fields others own', () => {
    const created = serverSideApply(
      WORKSPACES,
      undefined,
      ws({ a: '1', b: '2' }),
      'one',
      false,
      'kaito.sh/v1beta1',
    );
    const shared = serverSideApply(
      WORKSPACES,
      created,
      ws({ b: '2' }),
      'two',
      false,
      'kaito.sh/v1beta1',
    );
    const dropped = serverSideApply(
      WORKSPACES,
      shared,
      ws({}),
      'one',
      false,
      'kaito.sh/v1beta1',
    );
    expect(dropped.metadata.labels).toEqual({ b: '2' });
  });

  it('reports conflicts with the owning manager unless forced', () => {
    const created = serverSideApply(
      WORKSPACES,
      undefined,
      ws({}),
      'one',
      false,
      'kaito.sh/v1beta1',
    );
    expect(() =>
      serverSideApply(
        WORKSPACES,
        created,
        ws({}, 'other'),
        'two',
        false,
        'kaito.sh/v1beta1',
      ),
    ).toThrow(KubeError);
    const forced = serverSideApply(
      WORKSPACES,
      created,
      ws({}, 'other'),
      'two',
      true,
      'kaito.sh/v1beta1',
    );
    expect((forced.inference as any).preset.name).toBe('other');
    const owners = forced.metadata.managedFields!.map(e => [
      e.manager,
      decodeFields(e.fieldsV1).some(
        p => p.join('.') === 'inference.preset.name',
      ),
    ]);
    expect(owners).toEqual([
      ['one', false],
      ['two', true],
    ]);
  });

  it('moves ownership to the manager of an update', () => {
    const created = serverSideApply(
      WORKSPACES,
      undefined,
      ws({ a: '1' }),
      'applier',
      false,
      'kaito.sh/v1beta1',
    );
    const edited = structuredClone(created);
    edited.metadata.labels = { a: '2' };
    recordUpdate(
      WORKSPACES,
      created,
      edited,
      'kubectl-edit',
      'kaito.sh/v1beta1',
    );
    const editor = edited.metadata.managedFields!.find(
      e => e.manager === 'kubectl-edit',
    )!;
    expect(editor.operation).toBe('Update');
    expect(decodeFields(editor.fieldsV1)).toEqual([
      ['metadata', 'labels', 'a'],
    ]);
    const err = (() => {
      try {
        serverSideApply(
          WORKSPACES,
          edited,
          ws({ a: '3' }),
          'applier',
          false,
          'kaito.sh/v1beta1',
        );
        return undefined;
      } catch (e) {
        return e as KubeError;
      }
    })();
    expect(err?.message).toBe(
      'Apply failed with 1 conflict: conflict with "kubectl-edit" using kaito.sh/v1beta1: .metadata.labels.a',
    );
  });
});
