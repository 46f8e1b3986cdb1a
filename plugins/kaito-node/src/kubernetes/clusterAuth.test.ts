import { mockServices } from '@backstage/backend-test-utils';
import type { AccessToken, TokenCredential } from '@azure/identity';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AKS_SCOPE,
  AzureTokenSource,
  ServiceAccountTokenSource,
  createTokenSource,
} from './clusterAuth';

/** A credential that hands out numbered tokens and records the scopes asked for. */
class CountingCredential implements TokenCredential {
  calls: string[] = [];
  constructor(private lifetimeMs: number, private fail = false) {}
  async getToken(scopes: string | string[]): Promise<AccessToken | null> {
    this.calls.push(String(scopes));
    await new Promise(r => setTimeout(r, 5));
    if (this.fail) throw new Error('no credential');
    return {
      token: `t${this.calls.length}`,
      expiresOnTimestamp: Date.now() + this.lifetimeMs,
    };
  }
}

const logger = mockServices.logger.mock();

describe('AzureTokenSource', () => {
  it('asks for the AKS scope once and caches the token', async () => {
    const cred = new CountingCredential(3_600_000);
    const source = new AzureTokenSource(cred, logger);
    const tokens = await Promise.all([
      source.getToken(),
      source.getToken(),
      source.getToken(),
    ]);
    expect(tokens).toEqual(['t1', 't1', 't1']);
    expect(await source.getToken()).toBe('t1');
    expect(cred.calls).toEqual([AKS_SCOPE]);
  });

  it('refreshes a token that expires within 15 minutes', async () => {
    const cred = new CountingCredential(10 * 60_000);
    const source = new AzureTokenSource(cred, logger);
    expect(await source.getToken()).toBe('t1');
    expect(await source.getToken()).toBe('t2');
  });

  it('explains a credential failure without leaking anything', async () => {
    const source = new AzureTokenSource(
      new CountingCredential(0, true),
      logger,
    );
    await expect(source.getToken()).rejects.toThrow(/DefaultAzureCredential/);
  });
});

describe('ServiceAccountTokenSource', () => {
  it('prefers the configured token, else reads the projected token file', async () => {
    expect(
      await new ServiceAccountTokenSource('c', 'configured').getToken(),
    ).toBe('configured');
    const dir = mkdtempSync(join(tmpdir(), 'kaito-sa-'));
    writeFileSync(join(dir, 'token'), 'from-file\n');
    expect(
      await new ServiceAccountTokenSource(
        'c',
        undefined,
        join(dir, 'token'),
      ).getToken(),
    ).toBe('from-file');
  });

  it('says what is missing when neither exists', async () => {
    await expect(
      new ServiceAccountTokenSource(
        'prod',
        undefined,
        '/nonexistent/token',
      ).getToken(),
    ).rejects.toThrow(
      "Cluster 'prod' uses authProvider serviceAccount but has no serviceAccountToken",
    );
  });
});

describe('createTokenSource', () => {
  const base = {
    name: 'c',
    url: 'https://x',
    skipTLSVerify: false,
    source: 'config' as const,
  };
  it('refuses client-side providers with the supported list', () => {
    expect(() =>
      createTokenSource(
        { ...base, authProvider: 'aks' },
        { azure: () => ({ getToken: async () => 'x' }) },
      ),
    ).toThrow(
      "authProvider 'aks', which KAITO cannot use server-side; use one of serviceAccount, azure, localKubectlProxy",
    );
  });
  it('sends no token through kubectl proxy', async () => {
    const s = createTokenSource(
      { ...base, authProvider: 'localKubectlProxy' },
      { azure: () => ({ getToken: async () => 'x' }) },
    );
    expect(await s.getToken()).toBeUndefined();
  });
});
