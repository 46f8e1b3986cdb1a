import { KubeError } from './errors';
import { jsonPatch, mergePatch } from './patch';

describe('JSON merge patch (RFC 7386)', () => {
  it('merges maps, deletes with null and replaces lists', () => {
    expect(
      mergePatch(
        { a: { b: 1, c: 2 }, l: [1, 2] },
        { a: { b: null, d: 3 }, l: [9] },
      ),
    ).toEqual({ a: { c: 2, d: 3 }, l: [9] });
    expect(mergePatch({ a: 1 }, [1])).toEqual([1]);
  });
});

describe('JSON patch (RFC 6902)', () => {
  const doc = { metadata: { labels: { a: '1' } }, list: ['x', 'y'] };
  it('applies add, remove, replace, move, copy and test', () => {
    const out = jsonPatch(doc, [
      { op: 'add', path: '/metadata/labels/b', value: '2' },
      { op: 'add', path: '/list/-', value: 'z' },
      { op: 'remove', path: '/list/0' },
      { op: 'replace', path: '/metadata/labels/a', value: '9' },
      { op: 'copy', from: '/metadata/labels/a', path: '/metadata/labels/c' },
      { op: 'move', from: '/metadata/labels/b', path: '/metadata/labels/d~1e' },
      { op: 'test', path: '/list', value: ['y', 'z'] },
    ]);
    expect(out).toEqual({
      metadata: { labels: { a: '9', c: '9', 'd/e': '2' } },
      list: ['y', 'z'],
    });
    expect(doc.list).toEqual(['x', 'y']);
  });
  it('fails with 422 when an operation does not apply, 400 when it is malformed', () => {
    const code = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return (e as KubeError).code;
      }
      return 0;
    };
    expect(
      code(() => jsonPatch(doc, [{ op: 'remove', path: '/metadata/nothing' }])),
    ).toBe(422);
    expect(
      code(() =>
        jsonPatch(doc, [{ op: 'replace', path: '/list/7', value: 1 }]),
      ),
    ).toBe(422);
    expect(
      code(() => jsonPatch(doc, [{ op: 'test', path: '/list/0', value: 'q' }])),
    ).toBe(422);
    expect(code(() => jsonPatch(doc, { op: 'add' }))).toBe(400);
    expect(code(() => jsonPatch(doc, [{ op: 'frobnicate', path: '/a' }]))).toBe(
      400,
    );
  });
});
