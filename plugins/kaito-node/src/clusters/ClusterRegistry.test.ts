import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader, type JsonObject } from '@backstage/config';
import { Entity } from '@backstage/catalog-model';
import { ClusterCatalogReader } from './catalogClusters';
import { ClusterRegistry } from './ClusterRegistry';

const logger = mockServices.logger.mock();

function clusterEntity(
  name: string,
  annotations: Record<string, string>,
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name, annotations },
    spec: { type: 'kubernetes-cluster' },
  };
}

class ListCatalog implements ClusterCatalogReader {
  calls = 0;
  constructor(public entities: Entity[]) {}
  async listClusterEntities() {
    this.calls++;
    return this.entities;
  }
}

const config = (methods: JsonObject[]) =>
  new ConfigReader({ kubernetes: { clusterLocatorMethods: methods } });

describe('ClusterRegistry', () => {
  it('reads config clusters and keeps the token out of the public view', async () => {
    const registry = ClusterRegistry.fromConfig(
      config([
        {
          type: 'config',
          clusters: [
            {
              name: 'aks',
              url: 'https://aks.example.com/',
              authProvider: 'serviceAccount',
              serviceAccountToken: 'secret-token',
              caData: 'Q0E=',
            },
            {
              name: 'dev',
              url: 'https://dev.example.com',
              authProvider: 'azure',
            },
          ],
        },
      ]),
      { logger },
    );
    const clusters = await registry.listClusters();
    expect(clusters.map(c => c.name)).toEqual(['aks', 'dev']);
    expect(JSON.stringify(clusters)).not.toContain('secret-token');
    expect(clusters[0].url).toBe('https://aks.example.com');
    expect(
      (await registry.getConnectionDetails('aks')).serviceAccountToken,
    ).toBe('secret-token');
  });

  it('picks the only cluster by default and explains ambiguity and unknown names', async () => {
    const one = ClusterRegistry.fromConfig(
      config([
        {
          type: 'config',
          clusters: [
            {
              name: 'only',
              url: 'https://x.example.com',
              authProvider: 'azure',
            },
          ],
        },
      ]),
      { logger },
    );
    expect((await one.getCluster()).name).toBe('only');
    await expect(one.getCluster('other')).rejects.toThrow(
      "Cluster 'other' is not configured; configured clusters: only",
    );

    const two = ClusterRegistry.fromConfig(
      config([
        {
          type: 'config',
          clusters: [
            { name: 'a', url: 'https://a.example.com', authProvider: 'azure' },
            { name: 'b', url: 'https://b.example.com', authProvider: 'azure' },
          ],
        },
      ]),
      { logger },
    );
    await expect(two.getCluster()).rejects.toThrow(
      'add the kaito.sh/cluster annotation to choose one of: a, b',
    );

    const none = ClusterRegistry.fromConfig(new ConfigReader({}), { logger });
    await expect(none.getCluster()).rejects.toThrow(
      'No Kubernetes clusters are configured',
    );
  });

  it('rejects duplicate names and clusters without an auth provider', () => {
    expect(() =>
      ClusterRegistry.fromConfig(
        config([
          {
            type: 'config',
            clusters: [
              {
                name: 'a',
                url: 'https://a.example.com',
                authProvider: 'azure',
              },
              {
                name: 'a',
                url: 'https://b.example.com',
                authProvider: 'azure',
              },
            ],
          },
        ]),
        { logger },
      ),
    ).toThrow("Duplicate cluster name 'a'");
    expect(() =>
      ClusterRegistry.fromConfig(
        config([
          {
            type: 'config',
            clusters: [{ name: 'a', url: 'https://a.example.com' }],
          },
        ]),
        {
          logger,
        },
      ),
    ).toThrow("Cluster 'a' has no authProvider");
  });

  it('adds the kubectl proxy cluster and ignores unsupported locators', async () => {
    const registry = ClusterRegistry.fromConfig(
      config([{ type: 'localKubectlProxy' }, { type: 'gke', projectId: 'p' }]),
      {
        logger,
      },
    );
    expect(await registry.listClusters()).toEqual([
      {
        name: 'local',
        url: 'http://127.0.0.1:8001',
        authProvider: 'localKubectlProxy',
        skipTLSVerify: false,
        source: 'localKubectlProxy',
      },
    ]);
  });

  describe('catalog locator', () => {
    const publicDns = async () => ['20.1.2.3'];
    const entities = [
      clusterEntity('good', {
        'kubernetes.io/api-server': 'https://good-1a2b3c.hcp.eastus.azmk8s.io',
        'kubernetes.io/api-server-certificate-authority': 'Q0E=',
        'kubernetes.io/auth-provider': 'azure',
        'kubernetes.io/skip-tls-verify': 'true',
      }),
      clusterEntity('private', {
        'kubernetes.io/api-server': 'https://10.0.0.1',
        'kubernetes.io/auth-provider': 'azure',
      }),
      // The azure token works on every AKS cluster the portal can reach: never send it elsewhere.
      clusterEntity('azure-token-elsewhere', {
        'kubernetes.io/api-server': 'https://good.example.com',
        'kubernetes.io/auth-provider': 'azure',
      }),
      clusterEntity('plain-http', {
        'kubernetes.io/api-server': 'http://good.example.com',
        'kubernetes.io/auth-provider': 'azure',
      }),
      clusterEntity('sa', {
        'kubernetes.io/api-server': 'https://sa.example.com',
        'kubernetes.io/auth-provider': 'serviceAccount',
        serviceAccountToken: 'must-not-be-used',
      }),
      clusterEntity('no-annotations', {}),
    ];

    it('takes only safe clusters from the catalog and never honours skip-tls-verify unless allowed', async () => {
      const catalog = new ListCatalog(entities);
      const registry = ClusterRegistry.fromConfig(
        config([{ type: 'catalog' }]),
        { logger, catalog, resolveHost: publicDns },
      );
      const clusters = await registry.listClusters();
      expect(clusters).toEqual([
        {
          name: 'good',
          url: 'https://good-1a2b3c.hcp.eastus.azmk8s.io',
          authProvider: 'azure',
          skipTLSVerify: false,
          source: 'catalog',
        },
      ]);
      expect((await registry.getConnectionDetails('good')).caData).toBe('Q0E=');
    });

    it('honours dangerouslyAllowClusterUrls and dangerouslyAllowSkipTLSVerify', async () => {
      const catalog = new ListCatalog(entities);
      const registry = ClusterRegistry.fromConfig(
        config([
          {
            type: 'catalog',
            dangerouslyAllowClusterUrls: ['10.0.0.1'],
            dangerouslyAllowSkipTLSVerify: true,
          },
        ]),
        { logger, catalog, resolveHost: publicDns },
      );
      const clusters = await registry.listClusters();
      expect(clusters.map(c => [c.name, c.skipTLSVerify])).toEqual([
        ['good', true],
        ['private', false],
      ]);
    });

    it('sends the azure token to a non-AKS host only when that host is allowlisted', async () => {
      const catalog = new ListCatalog([entities[2]]);
      const denied = ClusterRegistry.fromConfig(config([{ type: 'catalog' }]), {
        logger,
        catalog,
        resolveHost: publicDns,
      });
      expect(await denied.listClusters()).toEqual([]);
      expect(logger.warn).toHaveBeenCalledWith(
        expect.stringContaining('must be an AKS host (*.azmk8s.io)'),
      );
      const allowed = ClusterRegistry.fromConfig(
        config([
          {
            type: 'catalog',
            dangerouslyAllowClusterUrls: ['good.example.com'],
          },
        ]),
        { logger, catalog, resolveHost: publicDns },
      );
      expect((await allowed.listClusters()).map(c => c.name)).toEqual([
        'azure-token-elsewhere',
      ]);
    });

    it('caches, and refreshes early (rate limited) for an unknown name', async () => {
      jest.useFakeTimers({
        now: 1_000_000,
        doNotFake: ['setImmediate', 'nextTick'],
      });
      try {
        const catalog = new ListCatalog([]);
        const registry = ClusterRegistry.fromConfig(
          config([{ type: 'catalog' }]),
          {
            logger,
            catalog,
            resolveHost: publicDns,
            catalogRefreshMs: 60_000,
          },
        );
        expect(await registry.listClusters()).toEqual([]);
        expect(await registry.listClusters()).toEqual([]);
        expect(catalog.calls).toBe(1);
        catalog.entities = [entities[0]];
        // Within 2 s of the last fetch even an unknown name does not refetch.
        await expect(registry.getCluster('good')).rejects.toThrow(
          "Cluster 'good' is not configured",
        );
        expect(catalog.calls).toBe(1);
        jest.setSystemTime(1_003_000);
        expect((await registry.getCluster('good')).name).toBe('good');
        expect(catalog.calls).toBe(2);
      } finally {
        jest.useRealTimers();
      }
    });

    it('keeps the last good list when the catalog fails', async () => {
      const catalog = new ListCatalog([entities[0]]);
      const registry = ClusterRegistry.fromConfig(
        config([{ type: 'catalog' }]),
        {
          logger,
          catalog,
          resolveHost: publicDns,
          catalogRefreshMs: 1,
        },
      );
      expect((await registry.listClusters()).map(c => c.name)).toEqual([
        'good',
      ]);
      catalog.listClusterEntities = async () => {
        throw new Error('catalog down');
      };
      await new Promise(r => setTimeout(r, 5));
      expect((await registry.listClusters()).map(c => c.name)).toEqual([
        'good',
      ]);
      expect(logger.warn).toHaveBeenCalledWith(
        expect.stringContaining('catalog down'),
      );
    });
  });
});
