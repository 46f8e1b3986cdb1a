import { ConfigReader } from '@backstage/config';
import { readProviderSettings } from './config';

const SUB = '00000000-0000-0000-0000-000000000000';

describe('readProviderSettings', () => {
  it('defaults: workspaces on, AKS clusters only with kaito.azure and a subscription', () => {
    expect(readProviderSettings(new ConfigReader({}))).toEqual({
      refreshIntervalSeconds: 30,
      workspaces: true,
      aksClusters: false,
      subscriptions: [],
    });
    expect(
      readProviderSettings(
        new ConfigReader({ kaito: { azure: { subscriptionId: SUB } } }),
      ),
    ).toMatchObject({ aksClusters: true, subscriptions: [SUB] });
  });

  it.each([
    [
      { catalog: { providers: { kaito: { refreshIntervalSeconds: 0 } } } },
      /refreshIntervalSeconds must be a number >= 1/,
    ],
    [
      {
        catalog: {
          providers: { kaito: { aksClusters: { subscriptions: ['nope'] } } },
        },
        kaito: { azure: {} },
      },
      /aksClusters.subscriptions must hold subscription GUIDs, got 'nope'/,
    ],
    [
      { catalog: { providers: { kaito: { aksClusters: { enabled: true } } } } },
      /needs the kaito.azure section/,
    ],
    [
      {
        catalog: { providers: { kaito: { aksClusters: { enabled: true } } } },
        kaito: { azure: {} },
      },
      /needs a subscription/,
    ],
  ])('rejects %j naming the key', (data, message) => {
    expect(() => readProviderSettings(new ConfigReader(data))).toThrow(message);
  });
});
