import { actionsRegistryServiceFactory } from '@backstage/backend-defaults/alpha';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import {
  AuthorizeResult,
  isResourcePermission,
} from '@backstage/plugin-permission-common';
import { PermissionPolicy } from '@backstage/plugin-permission-node';
import {
  RunningSimulator,
  startSimulator,
} from '@kaito-backstage/kaito-simulator';
import {
  KaitoTestBackend,
  startKaitoTestBackend,
} from '../__testUtils__/backend';
import { component, workspaceManifest } from '../__testUtils__/entities';
import { oboAuthServiceFactory } from '../__testUtils__/oboAuth';
import { clusterConfig, waitFor } from '../__testUtils__/simulator';

const ACTIONS = '/api/kaito/.backstage/actions/v1/actions';
/** May use KAITO on every entity except those labelled restricted. */
const CAROL = 'user:default/carol';
const RESTRICTED = { 'kaito.test/restricted': 'true' };
/** Whose permission checks fail (the policy throws). */
const BROKEN = 'user:default/broken';

/**
 * carol gets a conditional decision on the per-entity KAITO permissions
 * (not the restricted entity), evaluated by the catalog's permission rules
 * through the real permission backend; broken's read checks fail; everyone
 * else may do anything.
 */
const policy: PermissionPolicy = {
  async handle(req, user) {
    if (
      user?.info.userEntityRef === BROKEN &&
      req.permission.name === 'kaito.workspace.read'
    )
      throw new Error('policy store unavailable');
    if (
      user?.info.userEntityRef === CAROL &&
      req.permission.name.startsWith('kaito.') &&
      isResourcePermission(req.permission, 'catalog-entity')
    ) {
      return createCatalogConditionalDecision(req.permission, {
        not: catalogConditions.hasLabel({ label: 'kaito.test/restricted' }),
      });
    }
    return { result: AuthorizeResult.ALLOW };
  },
};

function labelled(name: string, labels: Record<string, string>) {
  const entity = component(name, { 'kaito.sh/workspace': `default/${name}` });
  entity.metadata.labels = labels;
  return entity;
}

describe('KAITO actions per entity: permissions and readiness', () => {
  let sim: RunningSimulator;
  let kb: KaitoTestBackend;

  const invoke = (id: string, input: unknown, user?: string) =>
    kb.post(`${ACTIONS}/kaito:${id}/invoke`, input, user);

  beforeAll(async () => {
    sim = await startSimulator({
      log: () => {},
      // Nodes take an hour to launch: every Workspace stays provisioning.
      timings: { nodeLaunchMs: 3_600_000 },
      seed: ['open', 'secret', 'other'].map(n => workspaceManifest(n)),
    });
    kb = await startKaitoTestBackend({
      config: {
        ...clusterConfig([{ name: 'sim', url: sim.url, token: sim.token }]),
        backend: { actions: { pluginSources: ['kaito'] } },
      },
      entities: [
        labelled('open', {}),
        labelled('secret', RESTRICTED),
        labelled('other', {}),
      ],
      policy,
      extraFeatures: [actionsRegistryServiceFactory, oboAuthServiceFactory],
    });
    // Longer than any pause in the run, so no backend-to-backend call
    // reuses a socket the server is closing (ECONNRESET).
    kb.server.keepAliveTimeout = 120_000;
    // The watcher has seen all three Workspaces (still provisioning).
    await waitFor(
      async () => {
        const res = await invoke('list-workspaces', {});
        return (
          res.body.output?.items?.length === 3 &&
          res.body.output.items.every((i: any) => i.phase)
        );
      },
      'three provisioning Workspaces',
      60_000,
    );
  }, 180_000);

  afterAll(async () => {
    await kb?.stop();
    await sim?.stop();
  });

  it('list-workspaces shows only the entities the caller may read', async () => {
    const everyone = await invoke('list-workspaces', {});
    expect(everyone.body.output.items.map((i: any) => i.entityRef)).toEqual([
      'component:default/open',
      'component:default/other',
      'component:default/secret',
    ]);
    const carol = await invoke('list-workspaces', {}, CAROL);
    expect(carol.status).toBe(200);
    expect(carol.body.output.items.map((i: any) => i.entityRef)).toEqual([
      'component:default/open',
      'component:default/other',
    ]);
  });

  it('a failed permission check costs the row, not the list', async () => {
    const res = await invoke('list-workspaces', {}, BROKEN);
    expect(res.status).toBe(200);
    expect(res.body.output.items).toEqual(
      ['open', 'other', 'secret'].map(name => ({
        entityRef: `component:default/${name}`,
        status: 'error',
        reason:
          'The permission check or Workspace lookup failed; try again, or call get-workspace-status for this entity',
      })),
    );
    // Nothing of the Workspaces (phase, model) is shown.
    expect(JSON.stringify(res.body)).not.toMatch(/phase|phi-4|policy store/i);
  });

  it('get-workspace-status and chat on a denied entity are refused by name', async () => {
    const status = await invoke(
      'get-workspace-status',
      { entityRef: 'component:default/secret' },
      CAROL,
    );
    expect(status.status).toBe(403);
    expect(status.body.error.message).toBe(
      'You are not allowed kaito.workspace.read on component:default/secret; ask an owner of the entity or your Backstage administrator for this permission',
    );
    // Nothing about the Workspace leaks in the refusal.
    expect(JSON.stringify(status.body)).not.toMatch(/provisioning|phase/i);
    const chat = await invoke(
      'chat',
      {
        entityRef: 'secret',
        messages: [{ role: 'user', content: 'hi' }],
      },
      CAROL,
    );
    expect(chat.status).toBe(403);
    expect(chat.body.error.message).toBe(
      'You are not allowed kaito.workspace.chat on component:default/secret; ask an owner of the entity or your Backstage administrator for this permission',
    );
    // The same caller on an allowed entity passes the check.
    const open = await invoke(
      'get-workspace-status',
      { entityRef: 'open' },
      CAROL,
    );
    expect(open.status).toBe(200);
    expect(open.body.output.entityRef).toBe('component:default/open');
  });

  it('chat on a Workspace still provisioning answers 409 with what to do, at once', async () => {
    const status = await invoke('get-workspace-status', {
      entityRef: 'open',
    });
    expect(status.body.output.phase).not.toBe('Ready');
    expect(status.body.output.outcome).toBe('progress');
    const before = kb.audits.length;
    const res = await invoke('chat', {
      entityRef: 'open',
      messages: [{ role: 'user', content: 'are you up?' }],
    });
    expect(res.status).toBe(409);
    expect(res.body.error.name).toBe('ConflictError');
    // Phase and reason as the snapshot gives them (not compared with the
    // call above: the simulator may move on between the two).
    const match =
      /^Workspace default\/open is not ready \((\w+)\): (.+)\. Poll get-workspace-status for component:default\/open until its phase is Ready, then ask again\.$/.exec(
        res.body.error.message,
      );
    expect(match).not.toBeNull();
    expect(['Pending', 'ProvisioningNodes']).toContain(match![1]);
    expect(match![2].length).toBeGreaterThan(10);
    const audit = kb.audits
      .slice(before)
      .find(a => a.options.eventId === 'chat-completion');
    expect(audit?.outcome?.status).toBe('failed');
    expect(audit?.outcome?.meta).toMatchObject({ outcome: 'not_ready' });
  });
});
