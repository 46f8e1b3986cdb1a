import {
  actionsRegistryServiceFactory,
  actionsServiceFactory,
} from '@backstage/backend-defaults/alpha';
import { mockCredentials } from '@backstage/backend-test-utils';
import mcpActionsPlugin from '@backstage/plugin-mcp-actions-backend';
import {
  RunningSimulator,
  startSimulator,
} from '@kaito-backstage/kaito-simulator';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { startPortal, waitForEntity } from './__testUtils__/portal';

jest.setTimeout(240_000);

/** A tool's JSON answer, or its error text. */
async function call(
  client: Client,
  name: string,
  args: Record<string, unknown>,
): Promise<{ ok: boolean; text: string; json?: any }> {
  try {
    const result: any = await client.callTool({ name, arguments: args });
    const text = result.content.map((c: any) => c.text).join('');
    if (result.isError) return { ok: false, text };
    return { ok: true, text, json: JSON.parse(text) };
  } catch (error) {
    return { ok: false, text: String((error as Error).message) };
  }
}

/** The task's final status (from its completion event) and log, through MCP. */
async function taskState(client: Client, taskId: string) {
  const logs = await call(client, 'scaffolder.get-scaffolder-task-logs', {
    taskId,
  });
  const events: any[] = logs.json?.events ?? [];
  const done = events.find(e => e.type === 'completion');
  return {
    status: done?.body.message.match(/status: (\w+)/)?.[1] as
      | string
      | undefined,
    log: events.map(
      e => `${e.body.stepId ?? '-'} ${e.body.status ?? ''} ${e.body.message}`,
    ),
  };
}

/**
 * An agent deploys a model the way the issue describes, through MCP only:
 * size it with kaito.recommend-instance-types, run the kaito-workspace
 * template with the scaffolder's own execute-template tool, poll
 * kaito.get-workspace-status until Ready, then ask it with kaito.chat. The
 * portal is the real catalog (templates from templates/, the KAITO
 * provider), scaffolder with the KAITO actions, KAITO backend and the MCP
 * actions backend, on the simulator.
 */
describe('an agent deploys through MCP: execute-template, poll status, chat', () => {
  let sim: RunningSimulator;
  let portal: Awaited<ReturnType<typeof startPortal>>;
  let client: Client | undefined;

  beforeAll(async () => {
    // Weights take a few seconds, so the agent's polls usually see the
    // Workspace on its way to Ready (nothing depends on it).
    sim = await startSimulator({
      arm: true,
      log: () => {},
      timings: { weightsDownloadMs: 4000 },
    });
    portal = await startPortal(sim, ['kaito-workspace'], {
      features: [
        mcpActionsPlugin,
        actionsRegistryServiceFactory,
        actionsServiceFactory,
      ],
      config: {
        backend: { actions: { pluginSources: ['kaito', 'scaffolder'] } },
      },
    });
    // Longer than any pause in the run, so a backend client never reuses a
    // socket the server is closing (ECONNRESET in the task's catalog poll).
    portal.server.keepAliveTimeout = 120_000;
    await waitForEntity(portal.baseUrl, {
      kind: 'template',
      name: 'kaito-workspace',
    });
    client = new Client({ name: 'kaito-deploy-agent', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(
        new URL(`${portal.baseUrl}/api/mcp-actions/v1`),
        {
          requestInit: {
            headers: { authorization: mockCredentials.user.header() },
          },
        },
      ),
    );
  });

  afterAll(async () => {
    await client?.close();
    await portal?.stop();
    await sim?.stop();
  });

  it('ends with a Ready Workspace that answers a chat', async () => {
    const mcp = client!;
    const { tools } = await mcp.listTools();
    const names = tools.map(t => t.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'scaffolder.execute-template',
        'scaffolder.get-scaffolder-task-logs',
        'kaito.recommend-instance-types',
        'kaito.get-workspace-status',
        'kaito.chat',
      ]),
    );
    const execute = tools.find(t => t.name === 'scaffolder.execute-template')!;
    expect(execute.annotations).toMatchObject({ destructiveHint: true });

    // 1. Size: the cheapest GPU size whose nodes fit in the free quota.
    const sizing = await call(mcp, 'kaito.recommend-instance-types', {
      model: 'microsoft/Phi-4-mini-instruct',
      region: 'eastus',
    });
    expect(sizing.ok).toBe(true);
    const instanceType: string = sizing.json.cheapestWithinQuota;
    expect(instanceType).toBeTruthy();
    expect(sizing.json.quotaSubscriptionId).toBeTruthy();

    // 2. Deploy: the scaffolder's own action on templates/kaito-workspace.
    const started = await call(mcp, 'scaffolder.execute-template', {
      templateRef: 'template:default/kaito-workspace',
      values: {
        name: 'agent-phi',
        namespace: 'team-agent',
        cluster: 'sim',
        model: 'microsoft/Phi-4-mini-instruct',
        instanceType,
        runtime: 'vllm',
        adapters: [],
        owner: 'user:default/mock',
        mode: 'direct',
        // The agent follows readiness itself.
        waitForReady: false,
      },
    });
    expect(started).toMatchObject({ ok: true });
    const taskId: string = started.json.taskId;

    // 3. Poll get-workspace-status until Ready; the task's log says why
    //    when it fails first. Generous deadline: never race a clock.
    const entityRef = 'resource:default/agent-phi';
    const seen: string[] = [];
    const deadline = Date.now() + 180_000;
    let status: any;
    for (;;) {
      const st = await call(mcp, 'kaito.get-workspace-status', { entityRef });
      const phase = st.ok ? st.json.phase ?? st.json.status : 'not-registered';
      if (seen[seen.length - 1] !== phase) seen.push(phase);
      if (st.ok && st.json.phase === 'Ready') {
        status = st.json;
        break;
      }
      // Until the template has registered it, the entity is not in the catalog.
      if (!st.ok && !/not found in the catalog/.test(st.text)) {
        throw new Error(`get-workspace-status failed: ${st.text}`);
      }
      const task = await taskState(mcp, taskId);
      if (task.status && task.status !== 'completed') {
        throw new Error(`task ${task.status}:\n${task.log.join('\n')}`);
      }
      if (Date.now() > deadline) {
        throw new Error(`not Ready in time; phases seen: ${seen.join(' > ')}`);
      }
      await new Promise(r => setTimeout(r, 100));
    }
    expect(status).toMatchObject({
      entityRef,
      cluster: 'sim',
      namespace: 'team-agent',
      name: 'agent-phi',
      status: 'found',
      outcome: 'ready',
      instanceType,
    });

    // The task itself ends completed (its log is shown when it does not).
    let task = await taskState(mcp, taskId);
    while (!task.status) {
      await new Promise(r => setTimeout(r, 100));
      task = await taskState(mcp, taskId);
    }
    expect({
      status: task.status,
      log: task.status === 'completed' ? [] : task.log,
    }).toEqual({ status: 'completed', log: [] });

    // 4. Ask the deployed model.
    const answer = await call(mcp, 'kaito.chat', {
      entityRef,
      messages: [{ role: 'user', content: 'Say hello to the agent.' }],
      maxTokens: 16,
    });
    expect(answer.ok).toBe(true);
    expect(answer.json.entityRef).toBe(entityRef);
    expect(answer.json.content.length).toBeGreaterThan(0);
    if (process.env.KAITO_TEMPLATES_TIMINGS) {
      // eslint-disable-next-line no-console
      console.log(`phases seen by the agent: ${seen.join(' > ')}`);
    }
  });
});
