import {
  actionsRegistryServiceFactory,
  actionsServiceFactory,
} from '@backstage/backend-defaults/alpha';
import { mockCredentials } from '@backstage/backend-test-utils';
import mcpActionsPlugin from '@backstage/plugin-mcp-actions-backend';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { PermissionPolicy } from '@backstage/plugin-permission-node';
import {
  RunningSimulator,
  startSimulator,
} from '@kaito-backstage/kaito-simulator';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { AddressInfo } from 'node:net';
import {
  KaitoTestBackend,
  startKaitoTestBackend,
  waitForPhase,
} from '../__testUtils__/backend';
import { workspaceEntity, workspaceManifest } from '../__testUtils__/entities';
import { clusterConfig } from '../__testUtils__/simulator';

const MALLORY = 'user:default/mallory';

/** mallory may do nothing with KAITO; everyone else anything. */
const policy: PermissionPolicy = {
  async handle(req, user) {
    if (
      req.permission.name.startsWith('kaito.') &&
      user?.info.userEntityRef === MALLORY
    )
      return { result: AuthorizeResult.DENY };
    return { result: AuthorizeResult.ALLOW };
  },
};

/** The text of a tool result, or the message of a tool error. */
async function call(
  client: Client,
  name: string,
  args: Record<string, unknown>,
) {
  try {
    const result: any = await client.callTool({ name, arguments: args });
    return {
      isError: !!result.isError,
      text: result.content.map((c: any) => c.text).join(''),
    };
  } catch (error) {
    return { isError: true, text: String((error as Error).message) };
  }
}

describe('KAITO actions over MCP (mcp-actions backend, Streamable HTTP)', () => {
  let sim: RunningSimulator;
  let kb: KaitoTestBackend;
  const clients: Client[] = [];

  beforeAll(async () => {
    sim = await startSimulator({
      log: () => {},
      seed: [workspaceManifest('phi')],
    });
    kb = await startKaitoTestBackend({
      config: {
        ...clusterConfig([{ name: 'sim', url: sim.url, token: sim.token }]),
        backend: { actions: { pluginSources: ['kaito'] } },
      },
      entities: [workspaceEntity('phi')],
      policy,
      extraFeatures: [
        mcpActionsPlugin,
        actionsRegistryServiceFactory,
        actionsServiceFactory,
      ],
      extraPluginIds: ['mcp-actions'],
    });
    await waitForPhase(kb, 'phi');
  }, 180_000);

  afterAll(async () => {
    await Promise.all(clients.map(c => c.close()));
    await kb?.stop();
    await sim?.stop();
  });

  async function connect(user?: string) {
    const { port } = kb.server.address() as AddressInfo;
    const client = new Client({ name: 'kaito-test-agent', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(
        new URL(`http://127.0.0.1:${port}/api/mcp-actions/v1`),
        {
          requestInit: {
            headers: { authorization: mockCredentials.user.header(user) },
          },
        },
      ),
    );
    clients.push(client);
    return client;
  }

  it('lists the KAITO tools and calls them against the simulator', async () => {
    const client = await connect();
    const { tools } = await client.listTools();
    const names = tools.map(t => t.name).sort();
    expect(names).toEqual([
      'kaito.chat',
      'kaito.get-workspace-status',
      'kaito.index-techdocs',
      'kaito.list-models',
      'kaito.list-workspaces',
      'kaito.recommend-instance-types',
    ]);
    const status = tools.find(t => t.name === 'kaito.get-workspace-status')!;
    expect(status.annotations).toMatchObject({
      readOnlyHint: true,
      destructiveHint: false,
      idempotentHint: true,
    });
    expect(tools.find(t => t.name === 'kaito.chat')!.annotations).toMatchObject(
      { readOnlyHint: true, destructiveHint: false, idempotentHint: false },
    );

    const list = await call(client, 'kaito.list-workspaces', {});
    expect(list.isError).toBe(false);
    expect(JSON.parse(list.text).items).toEqual([
      expect.objectContaining({
        entityRef: 'component:default/phi',
        phase: 'Ready',
      }),
    ]);
    const st = await call(client, 'kaito.get-workspace-status', {
      entityRef: 'phi',
    });
    expect(JSON.parse(st.text)).toMatchObject({ phase: 'Ready' });
    const rec = await call(client, 'kaito.recommend-instance-types', {
      model: 'phi-4-mini-instruct',
    });
    expect(JSON.parse(rec.text).cheapest).toBeTruthy();
    const models = await call(client, 'kaito.list-models', { search: 'phi' });
    expect(JSON.parse(models.text).models.length).toBeGreaterThan(0);
    const chat = await call(client, 'kaito.chat', {
      entityRef: 'phi',
      messages: [{ role: 'user', content: 'hello' }],
    });
    expect(chat.isError).toBe(false);
    expect(JSON.parse(chat.text).content.length).toBeGreaterThan(0);
  }, 60_000);

  it('refuses a caller without permission and names bad input fields', async () => {
    const client = await connect(MALLORY);
    const { tools } = await client.listTools();
    expect(tools.map(t => t.name)).not.toContain('kaito.list-workspaces');
    const denied = await call(client, 'kaito.get-workspace-status', {
      entityRef: 'phi',
    });
    expect(denied.isError).toBe(true);
    expect(denied.text).toContain(
      'You are not allowed kaito.workspace.read on component:default/phi',
    );
    const bad = await call(await connect(), 'kaito.chat', {
      entityRef: 'phi',
    });
    expect(bad.isError).toBe(true);
    expect(bad.text).toContain('messages');
  }, 60_000);
});
