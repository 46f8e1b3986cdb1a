import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { testing } from '@kaito-backstage/kaito-simulator';
import https from 'node:https';
import { AddressInfo } from 'node:net';
import { KubernetesClientFactory } from '../kubernetes/KubernetesClientFactory';
import { ClusterRegistry } from './ClusterRegistry';
import { pinnedLookup } from './pinnedLookup';

/**
 * DNS rebinding: the catalog check resolves a cluster's host name; the
 * connection must go to the address that was checked, not to whatever the
 * name resolves to later. The host name `api.rebind.invalid` resolves
 * nowhere (.invalid), so a connection that looked it up again would fail.
 */
const HOST = 'api.rebind.invalid';
const logger = mockServices.logger.mock();
const certificate = testing.mintSelfSignedCertificate(HOST);
// Only the test server's loopback address passes the guard here.
const isForbiddenAddress = (address: string) => address !== '127.0.0.1';

let server: https.Server;
let port: number;
const seen: { path: string; servername?: string }[] = [];

beforeAll(async () => {
  server = https.createServer(
    { cert: certificate.certPem, key: certificate.keyPem },
    (req, res) => {
      seen.push({
        path: req.url ?? '',
        servername: (req.socket as { servername?: string }).servername,
      });
      res.setHeader('content-type', 'application/json');
      if (req.url?.includes('watch=true')) {
        res.end(
          `${JSON.stringify({
            type: 'ADDED',
            object: { metadata: { name: 'pod-a' } },
          })}\n`,
        );
        return;
      }
      res.end(JSON.stringify({ gitVersion: 'v1.30.0-rebind-test' }));
    },
  );
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise(r => server.close(r));
});

function registryFor(resolveHost: (host: string) => Promise<string[]>) {
  return ClusterRegistry.fromConfig(
    new ConfigReader({
      kubernetes: { clusterLocatorMethods: [{ type: 'catalog' }] },
    }),
    {
      logger,
      resolveHost,
      isForbiddenAddress,
      catalog: {
        listClusterEntities: async () => [
          {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Resource',
            metadata: {
              name: 'rebind',
              annotations: {
                'kubernetes.io/api-server': `https://${HOST}:${port}`,
                'kubernetes.io/auth-provider': 'localKubectlProxy',
                'kubernetes.io/api-server-certificate-authority': Buffer.from(
                  certificate.certPem,
                ).toString('base64'),
              },
            },
            spec: { type: 'kubernetes-cluster' },
          },
        ],
      },
    },
  );
}

describe('catalog clusters are pinned to the checked address', () => {
  it('connects to the checked address although the name now resolves to a forbidden one', async () => {
    const answers: string[][] = [];
    const resolveHost = async (host: string) => {
      expect(host).toBe(HOST);
      // Allowed at check time, rebound to a forbidden address afterwards.
      const answer = answers.length === 0 ? ['127.0.0.1'] : ['10.0.0.7'];
      answers.push(answer);
      return answer;
    };
    const registry = registryFor(resolveHost);
    const factory = new KubernetesClientFactory({ registry, logger });
    const client = await factory.forCluster('rebind');
    expect(await resolveHost(HOST)).toEqual(['10.0.0.7']);
    expect(client.cluster).not.toHaveProperty('pinnedAddresses');

    seen.length = 0;
    // Our keep-alive agent (relay, getJson) ...
    const version = await client.getJson('/version');
    expect(version.gitVersion).toBe('v1.30.0-rebind-test');
    // ... and client-node's own agents (watches), both over verified TLS
    // with the host name as SNI.
    const events: string[] = [];
    await client.watch(
      '/api/v1/namespaces/default/pods',
      { watch: true },
      e => events.push(`${e.type} ${e.object.metadata.name}`),
      new AbortController().signal,
    );
    expect(events).toEqual(['ADDED pod-a']);
    expect(seen).toEqual([
      { path: '/version', servername: HOST },
      {
        path: expect.stringMatching(/^\/api\/v1\/namespaces\/default\/pods\?/),
        servername: HOST,
      },
    ]);
    expect(answers).toHaveLength(2);
  });

  it('refuses a cluster whose name resolves to a forbidden address', async () => {
    const registry = registryFor(async () => ['10.0.0.7']);
    expect(await registry.listClusters()).toEqual([]);
    await expect(
      new KubernetesClientFactory({ registry, logger }).forCluster('rebind'),
    ).rejects.toThrow(/rebind/);
  });
});

describe('pinnedLookup', () => {
  const lookup = pinnedLookup('API.example.com', [
    '203.0.113.9',
    '2001:db8::9',
  ]);
  const ask = (host: string, options: object) =>
    new Promise((resolve, reject) =>
      lookup(host, options, (err, address, family) =>
        err ? reject(err) : resolve({ address, family }),
      ),
    );

  it('answers the checked host with the checked addresses, by family', async () => {
    await expect(ask('api.example.com', { all: true })).resolves.toEqual({
      address: [
        { address: '203.0.113.9', family: 4 },
        { address: '2001:db8::9', family: 6 },
      ],
      family: undefined,
    });
    await expect(ask('api.example.com', { family: 6 })).resolves.toEqual({
      address: '2001:db8::9',
      family: 6,
    });
  });

  it('answers no other host name', async () => {
    await expect(ask('other.example.com', {})).rejects.toMatchObject({
      code: 'ENOTFOUND',
    });
  });
});
