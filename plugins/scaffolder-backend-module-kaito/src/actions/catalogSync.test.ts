import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { createCatalogSyncAction, isTransient } from './catalogSync';

const workspace = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: { name: 'phi', namespace: 'default' },
  spec: { type: 'kaito-workspace', owner: 'group:default/team' },
};

function connectionReset() {
  const cause = Object.assign(new Error('read ECONNRESET'), {
    code: 'ECONNRESET',
  });
  return new TypeError('fetch failed', { cause });
}

function setup(fail: () => Error, times: number) {
  const catalog = catalogServiceMock({ entities: [workspace] });
  const real = catalog.getEntityByRef.bind(catalog);
  let calls = 0;
  jest.spyOn(catalog, 'getEntityByRef').mockImplementation((ref, opts) => {
    calls++;
    if (calls <= times) return Promise.reject(fail());
    return real(ref, opts as any);
  });
  const sync = { request: jest.fn(async () => ({ handled: 1 })) };
  const action = createCatalogSyncAction({
    catalog,
    sync: sync as any,
    discovery: mockServices.discovery(),
    auth: mockServices.auth(),
  });
  return { action, calls: () => calls };
}

describe('kaito:catalog:sync against an unsteady catalog', () => {
  it('polls through a dropped connection and a 503, then finds the entity', async () => {
    let n = 0;
    const { action, calls } = setup(
      () =>
        ++n === 1
          ? connectionReset()
          : Object.assign(new Error('Service Unavailable'), {
              name: 'ResponseError',
              statusCode: 503,
            }),
      2,
    );
    const ctx = createMockActionContext({
      input: { entityRef: 'resource:default/phi' },
    });
    const info = jest.spyOn(ctx.logger, 'info');
    await action.handler(ctx);
    expect(calls()).toBe(3);
    expect(ctx.output).toHaveBeenCalledWith('present', true);
    expect(info).toHaveBeenCalledWith(
      expect.stringContaining(
        'The catalog did not answer (fetch failed (ECONNRESET))',
      ),
    );
  });

  it('stops at once on a refusal (4xx) and says so', async () => {
    const refusal = () =>
      Object.assign(new Error('Forbidden: not allowed'), {
        name: 'NotAllowedError',
        statusCode: 403,
      });
    const { action, calls } = setup(refusal, 100);
    const ctx = createMockActionContext({
      input: { entityRef: 'resource:default/phi' },
    });
    await expect(action.handler(ctx)).rejects.toThrow('Forbidden: not allowed');
    expect(calls()).toBe(1);
  });

  it('gives up at the deadline naming the last connection error', async () => {
    const { action } = setup(connectionReset, 10_000);
    const ctx = createMockActionContext({
      input: { entityRef: 'resource:default/phi', timeoutMinutes: 0.1 },
    });
    await expect(action.handler(ctx)).rejects.toThrow(
      'The catalog did not answer for resource:default/phi within 0.1 min: fetch failed (ECONNRESET)',
    );
  }, 30_000);

  it('tells transient errors from final ones', () => {
    expect(isTransient(connectionReset())).toBe(true);
    expect(
      isTransient(Object.assign(new Error('x'), { statusCode: 502 })),
    ).toBe(true);
    expect(
      isTransient(Object.assign(new Error('x'), { statusCode: 404 })),
    ).toBe(false);
    expect(isTransient(new Error('Invalid entity ref'))).toBe(false);
    const abort = new Error('aborted');
    abort.name = 'AbortError';
    expect(isTransient(abort)).toBe(false);
  });
});
