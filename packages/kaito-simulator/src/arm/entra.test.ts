import { ClientSecretCredential } from '@azure/identity';
import { AKS_AUDIENCE } from './entra';
import { startTestArm } from './__testUtils__/armTestKit';

describe('Entra ID stand-in (token endpoint on the ARM origin)', () => {
  let t: Awaited<ReturnType<typeof startTestArm>>;
  beforeAll(async () => {
    t = await startTestArm({ entra: { clientSecret: 'the-secret' } });
  });
  afterAll(() => t.arm.stop());

  const credential = (secret: string, tenant = t.arm.entra.tenantId) =>
    new ClientSecretCredential(tenant, t.arm.entra.clientId, secret, {
      authorityHost: t.arm.url,
      disableInstanceDiscovery: true,
      tlsOptions: { ca: t.arm.caPem },
      retryOptions: { maxRetries: 0 },
    } as any);

  it('issues tokens to @azure/identity ClientSecretCredential that verify for their audience only', async () => {
    const aks = await credential('the-secret').getToken(
      `${AKS_AUDIENCE}/.default`,
    );
    expect(aks.expiresOnTimestamp).toBeGreaterThan(Date.now());
    expect(t.arm.entra.verify(aks.token, AKS_AUDIENCE)).toBe(true);
    expect(t.arm.entra.verify(aks.token, 'https://management.azure.com')).toBe(
      false,
    );
    const arm = await credential('the-secret').getToken(
      'https://management.azure.com/.default',
    );
    expect(t.arm.entra.verify(arm.token, 'https://management.azure.com')).toBe(
      true,
    );
    // A tampered token fails.
    const [h, p] = aks.token.split('.');
    expect(t.arm.entra.verify(`${h}.${p}.AAAA`, AKS_AUDIENCE)).toBe(false);
  });

  it("refuses a wrong secret with Entra's AADSTS7000215", async () => {
    await expect(
      credential('wrong').getToken(`${AKS_AUDIENCE}/.default`),
    ).rejects.toThrow(/AADSTS7000215: Invalid client secret provided/);
  });

  it('refuses an unknown tenant with AADSTS90002', async () => {
    await expect(
      credential('the-secret', '99999999-9999-9999-9999-999999999999').getToken(
        `${AKS_AUDIENCE}/.default`,
      ),
    ).rejects.toThrow(/AADSTS90002/);
  });
});
