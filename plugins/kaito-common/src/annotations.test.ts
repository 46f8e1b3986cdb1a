import {
  getEntityWorkspaceRef,
  parseWorkspaceRef,
  KAITO_CLUSTER_ANNOTATION,
  KAITO_WORKSPACE_ANNOTATION,
} from './annotations';
import { KaitoAnnotationError } from './errors';

/** Runs fn and returns the KaitoAnnotationError it throws (anything else fails the test). */
function annotationError(fn: () => unknown): KaitoAnnotationError {
  try {
    fn();
  } catch (e) {
    if (e instanceof KaitoAnnotationError) return e;
    throw new Error(`expected a KaitoAnnotationError, got ${String(e)}`);
  }
  throw new Error('expected a KaitoAnnotationError, nothing was thrown');
}

const NAMES_ANNOTATION = /kaito\.sh\/(workspace|cluster)/;

describe('parseWorkspaceRef', () => {
  it('parses <namespace>/<name>', () => {
    expect(parseWorkspaceRef('default/workspace-phi-4')).toEqual({
      namespace: 'default',
      name: 'workspace-phi-4',
    });
    expect(parseWorkspaceRef('  team-a/ws1 ')).toEqual({
      namespace: 'team-a',
      name: 'ws1',
    });
  });

  it.each([
    ['', /empty/],
    ['   ', /empty/],
    ['workspace-only', /exactly one '\/'/],
    ['a/b/c', /found 2/],
    ['/name', /namespace must not be empty/],
    ['ns/', /name must not be empty/],
    ['NS/name', /namespace .*DNS-1123/],
    ['ns/Name', /name .*DNS-1123/],
    ['ns/na_me', /DNS-1123/],
    [`ns/${'a'.repeat(64)}`, /at most 63/],
  ])('rejects %p', (value, pattern) => {
    const message = annotationError(() => parseWorkspaceRef(value)).message;
    expect(message).toMatch(NAMES_ANNOTATION);
    expect(message).toMatch(pattern);
  });

  it.each([null, undefined, 42, {}, ['a/b']])(
    'rejects non-string %p',
    value => {
      expect(
        annotationError(() => parseWorkspaceRef(value as unknown as string))
          .message,
      ).toMatch(/must be a string/);
    },
  );

  it('rejects ≥100 generated malformed values with a named error', () => {
    let seed = 99;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const corruptions: Array<(ns: string, name: string) => string> = [
      (ns, n) => `${ns.toUpperCase()}X/${n}`,
      (ns, n) => `${ns}/${n}_x`,
      (ns, n) => `${ns}/${n}/extra`,
      (ns, n) => `${ns}${n}`,
      (ns, n) => `-${ns}/${n}`,
      (ns, n) => `${ns}/${n}-`,
      (ns, n) => `${ns}/${n}${'z'.repeat(64)}`,
      (ns, n) => `${ns} /${n}`,
      (ns, n) => `${ns}/n a${n}`,
      (ns, n) => `${ns}//${n}`,
      (ns, n) => `${ns}/${n}\u00e9`,
      (ns, n) => `${ns}/${n}\n`.replace('\n', '\u0000'),
      (ns, n) => `${ns}.${n}/x.y`,
      (ns, n) => `${ns}:${n}`,
      (ns, n) => `${ns}/${n}*`,
    ];
    const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
    const word = () => {
      let w = alphabet[rand(26)];
      const len = 1 + rand(12);
      for (let i = 0; i < len; i++) w += alphabet[rand(alphabet.length)];
      return w;
    };
    for (let i = 0; i < 150; i++) {
      const value = corruptions[i % corruptions.length](word(), word());
      expect(annotationError(() => parseWorkspaceRef(value)).message).toMatch(
        NAMES_ANNOTATION,
      );
    }
  });
});

describe('getEntityWorkspaceRef', () => {
  const entity = (annotations?: Record<string, string>) => ({
    metadata: { annotations },
  });

  it('returns undefined for entities without the annotation', () => {
    expect(getEntityWorkspaceRef(entity())).toBeUndefined();
    expect(getEntityWorkspaceRef(entity({ other: 'x' }))).toBeUndefined();
  });

  it('reads workspace and optional cluster', () => {
    expect(
      getEntityWorkspaceRef(entity({ [KAITO_WORKSPACE_ANNOTATION]: 'ml/phi' })),
    ).toEqual({ namespace: 'ml', name: 'phi' });
    expect(
      getEntityWorkspaceRef(
        entity({
          [KAITO_WORKSPACE_ANNOTATION]: 'ml/phi',
          [KAITO_CLUSTER_ANNOTATION]: 'aks-gpu',
        }),
      ),
    ).toEqual({
      namespace: 'ml',
      name: 'phi',
      cluster: 'aks-gpu',
    });
  });

  it('rejects a malformed workspace or cluster annotation', () => {
    expect(
      annotationError(() =>
        getEntityWorkspaceRef(entity({ [KAITO_WORKSPACE_ANNOTATION]: 'phi' })),
      ).message,
    ).toMatch(NAMES_ANNOTATION);
    expect(
      annotationError(() =>
        getEntityWorkspaceRef(
          entity({
            [KAITO_WORKSPACE_ANNOTATION]: 'ml/phi',
            [KAITO_CLUSTER_ANNOTATION]: ' ',
          }),
        ),
      ).message,
    ).toMatch(/cluster.*empty/);
    expect(
      annotationError(() =>
        getEntityWorkspaceRef(
          entity({
            [KAITO_WORKSPACE_ANNOTATION]: 'ml/phi',
            [KAITO_CLUSTER_ANNOTATION]: 'a/b',
          }),
        ),
      ).message,
    ).toMatch(/not a valid cluster name/);
    const err = annotationError(() =>
      getEntityWorkspaceRef(entity({ [KAITO_CLUSTER_ANNOTATION]: 'aks' })),
    );
    expect(err.message).toMatch(/missing/);
    expect(err.annotation).toBe(KAITO_CLUSTER_ANNOTATION);
  });
});
