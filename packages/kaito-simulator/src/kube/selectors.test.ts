import { KubeError } from './errors';
import { CONFIGMAPS, EVENTS } from './resources';
import {
  matchesFields,
  matchesLabels,
  parseFieldSelector,
  parseLabelSelector,
} from './selectors';

describe('label selectors', () => {
  const labels = {
    app: 'phi',
    tier: 'gpu',
    'kaito.sh/workspace': 'phi',
    size: '3',
  };
  it.each([
    ['app=phi', true],
    ['app==phi', true],
    ['app!=phi', false],
    ['app in (phi, llama)', true],
    ['app notin (phi)', false],
    ['missing notin (x)', true],
    ['kaito.sh/workspace', true],
    ['!kaito.sh/workspace', false],
    ['app=phi,tier=cpu', false],
    ['size>2,size<4', true],
    ['', true],
  ])('%s -> %s', (selector, expected) => {
    expect(matchesLabels(labels, parseLabelSelector(selector))).toBe(expected);
  });

  it('accepts an empty value, which matches an empty label', () => {
    expect(matchesLabels({ app: '' }, parseLabelSelector('app='))).toBe(true);
  });

  it.each([
    'a b',
    '=x',
    'app in (a',
    'app=phi,',
    'Bad Key=1',
    `app=${'v'.repeat(64)}`,
  ])('rejects %j with a 400', sel => {
    let err: unknown;
    try {
      parseLabelSelector(sel);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(KubeError);
    expect((err as KubeError).code).toBe(400);
    expect((err as KubeError).message).toMatch(/^unable to parse requirement/);
  });
});

describe('field selectors', () => {
  const event = {
    metadata: { name: 'e', namespace: 'ns' },
    involvedObject: { kind: 'Pod', name: 'phi-0' },
    type: 'Warning',
    source: { component: 'kubelet' },
  };
  it('matches the fields a resource supports', () => {
    expect(
      matchesFields(
        event,
        parseFieldSelector('involvedObject.name=phi-0,type!=Normal', EVENTS),
      ),
    ).toBe(true);
    expect(
      matchesFields(event, parseFieldSelector('source=kubelet', EVENTS)),
    ).toBe(true);
    expect(
      matchesFields(event, parseFieldSelector('metadata.name==other', EVENTS)),
    ).toBe(false);
  });
  it('rejects unsupported fields like the API server', () => {
    expect(() =>
      parseFieldSelector('involvedObject.name=x', CONFIGMAPS),
    ).toThrow('field label not supported: involvedObject.name');
    expect(() => parseFieldSelector('nonsense', CONFIGMAPS)).toThrow(
      /invalid selector/,
    );
  });
});
