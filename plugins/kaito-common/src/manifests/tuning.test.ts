import { KaitoValidationError } from '../errors';
import { buildTuningWorkspace } from './tuning';
import { TUNING_INPUT as BASE } from '../__testUtils__/builderInputs';

const keys = (o: object) => Object.keys(o).sort();

describe('buildTuningWorkspace', () => {
  it('builds a tuning Workspace with exactly the keys KAITO expects', () => {
    const ws = buildTuningWorkspace(BASE);
    expect(keys(ws)).toEqual([
      'apiVersion',
      'kind',
      'metadata',
      'resource',
      'tuning',
    ]);
    expect(keys(ws.tuning!)).toEqual(['input', 'method', 'output', 'preset']);
    expect(ws.tuning!.preset).toEqual({ name: 'phi-3-mini-4k-instruct' });
    expect(ws.tuning!.method).toBe('qlora');
    expect(ws.tuning!.input).toEqual(BASE.input);
    expect(ws.tuning!.output).toEqual(BASE.output);
    expect(ws.metadata).toEqual({ name: 'tune-phi' });
  });

  it('copies input and output instead of sharing the caller objects', () => {
    const ws = buildTuningWorkspace(BASE);
    expect(ws.tuning!.input).not.toBe(BASE.input);
    expect(ws.tuning!.output).not.toBe(BASE.output);
  });

  it('passes config, namespace and the kubernetes-id label', () => {
    const ws = buildTuningWorkspace({
      ...BASE,
      config: 'tune-config',
      namespace: 'ml',
      kubernetesId: 'tuner',
    });
    expect(ws.tuning!.config).toBe('tune-config');
    expect(ws.metadata).toEqual({
      name: 'tune-phi',
      namespace: 'ml',
      labels: { 'backstage.io/kubernetes-id': 'tuner' },
    });
  });

  it('reports builder and webhook problems together', () => {
    let error: unknown;
    try {
      buildTuningWorkspace({
        ...BASE,
        kubernetesId: '',
        input: {},
      } as any);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(KaitoValidationError);
    const fields = (error as KaitoValidationError).issues.map(i => i.field);
    expect(fields).toContain('kubernetesId');
    expect(fields.some(f => f.startsWith('tuning.input'))).toBe(true);
    expect((error as Error).message).toMatch(/^Invalid tuning Workspace: /);
  });

  it('refuses input that is not an object before reading it', () => {
    let error: unknown;
    try {
      buildTuningWorkspace(undefined as any);
    } catch (e) {
      error = e;
    }
    expect((error as KaitoValidationError).issues).toEqual([
      {
        field: 'input',
        message: 'builder input must be an object, got a undefined',
      },
    ]);
    expect((error as Error).message).toMatch(
      /^Invalid tuning Workspace input: /,
    );
  });
});
