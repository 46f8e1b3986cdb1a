import {
  ComponentEntityV1alpha1,
  componentEntityV1alpha1Validator,
  FieldFormatEntityPolicy,
  NoForeignRootFieldsEntityPolicy,
  SchemaValidEntityPolicy,
  DefaultNamespaceEntityPolicy,
  EntityPolicies,
} from '@backstage/catalog-model';
import { promises as fs } from 'fs';
import path from 'path';
import { startSimulator } from '@kaito-backstage/kaito-simulator';
import { parse, parseAllDocuments } from 'yaml';
import { SHARED_FILES, PACKAGE_DIR } from './skeleton';
import { startScaffolder } from './__testUtils__/dryRun';
import { buildRenderedApp, runRenderedApp } from './__testUtils__/renderedApp';
import {
  readEvents,
  waitForInferenceReady,
  workspace,
} from './__testUtils__/simulator';

// A cap for a loaded CI machine (tests wait on events, this only bounds a hang).
jest.setTimeout(60_000);

const WORKSPACE = 'resource:kaito-demo/phi-4-mini';
const BASE = {
  name: 'support-bot',
  owner: 'group:default/ml-platform',
  workspace: WORKSPACE,
  namespace: 'apps',
  image: 'kaitoacr.azurecr.io/support-bot:0.1.0',
};

const policy = EntityPolicies.allOf([
  new DefaultNamespaceEntityPolicy(),
  new NoForeignRootFieldsEntityPolicy(),
  new FieldFormatEntityPolicy(),
  new SchemaValidEntityPolicy(),
]);

async function validEntity(text: string): Promise<ComponentEntityV1alpha1> {
  const entity = parse(text);
  const checked = await policy.enforce(entity);
  expect(checked).toBeDefined();
  expect(await componentEntityV1alpha1Validator.check(checked!)).toBe(true);
  return checked as ComponentEntityV1alpha1;
}

function env(deploymentYaml: string): Record<string, string> {
  const d = parse(deploymentYaml);
  const out: Record<string, string> = {};
  for (const e of d.spec.template.spec.containers[0].env) {
    if ('value' in e) out[e.name] = e.value;
  }
  return out;
}

describe('kaito-chat-app template (scaffolder dry-run)', () => {
  let scaffolder: Awaited<ReturnType<typeof startScaffolder>>;

  beforeAll(async () => {
    scaffolder = await startScaffolder();
  }, 240_000); // a whole scaffolder backend starts

  afterAll(async () => {
    await scaffolder?.stop();
  });

  it('renders the app for the in-cluster target without a repository', async () => {
    const run = await scaffolder.dryRun({
      ...BASE,
      target: 'in-cluster',
      workspaceNamespace: 'kaito-demo',
    });
    expect(run.status).toBe(200);
    expect(run.body.steps.map((s: any) => s.id)).toEqual([
      'render',
      'ingress',
      'publish',
      'register',
      'show',
    ]);
    expect(run.log.join('\n')).toMatch(
      /Skipping step ingress because its if condition was false/,
    );
    expect(run.log.join('\n')).toMatch(
      /Skipping step publish because its if condition was false/,
    );
    expect(run.log.join('\n')).toContain('No repository given');

    expect([...run.files.keys()].sort()).toEqual(
      [
        '.dockerignore',
        '.env.example',
        '.gitignore',
        'README.md',
        'catalog-info.yaml',
        'k8s/deployment.yaml',
        'k8s/service.yaml',
        'package.json',
        'tsconfig.json',
        ...SHARED_FILES,
      ].sort(),
    );
    for (const f of SHARED_FILES) {
      expect(run.files.get(f)).toBe(
        await fs.readFile(path.join(PACKAGE_DIR, f), 'utf8'),
      );
    }

    const entity = await validEntity(run.files.get('catalog-info.yaml')!);
    expect(entity.metadata.name).toBe('support-bot');
    expect(entity.spec.owner).toBe('group:default/ml-platform');
    expect(entity.spec.dependsOn).toEqual([WORKSPACE]);
    expect(entity.spec.system).toBeUndefined();

    expect(env(run.files.get('k8s/deployment.yaml')!)).toMatchObject({
      CHAT_PROVIDER: 'openai',
      OPENAI_BASE_URL: 'http://phi-4-mini.kaito-demo.svc.cluster.local/v1',
    });
    const service = parse(run.files.get('k8s/service.yaml')!);
    expect(service.metadata).toMatchObject({
      name: 'support-bot',
      namespace: 'apps',
    });
    expect(JSON.parse(run.files.get('package.json')!).name).toBe('support-bot');
    expect(run.files.get('README.md')).toContain('# support-bot');
  });

  it('renders an app that builds with its own tsconfig.json and streams a reply from the simulator', async () => {
    const run = await scaffolder.dryRun({
      ...BASE,
      target: 'in-cluster',
      workspaceNamespace: 'kaito-demo',
    });
    expect(run.status).toBe(200);

    // The Dockerfile copies only files the app has, and runs what the build emits.
    const dockerfile = run.files.get('Dockerfile')!;
    const copied = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)]
      .flatMap(m => m[1].split(' '))
      .filter(p => !p.endsWith('*'));
    for (const p of copied) {
      expect(
        [...run.files.keys()].some(f => f === p || f.startsWith(`${p}/`)),
      ).toBe(true);
    }
    expect(dockerfile).toContain('CMD ["node", "dist/main.js"]');
    expect(JSON.parse(run.files.get('package.json')!).scripts.start).toBe(
      'node dist/main.js',
    );

    const built = await buildRenderedApp(run.files);
    let sim: Awaited<ReturnType<typeof startSimulator>> | undefined;
    let app: ReturnType<typeof runRenderedApp> | undefined;
    try {
      expect(built.diagnostics).toEqual([]);
      sim = await startSimulator({ seed: [workspace('phi', 'kaito-demo')] });
      await waitForInferenceReady(sim, 'kaito-demo', 'phi');
      app = runRenderedApp(built.dir, {
        OPENAI_BASE_URL: `${sim.url}/api/v1/namespaces/kaito-demo/services/phi:80/proxy/v1`,
        OPENAI_API_KEY: sim.token,
      });
      const url = await app.url;
      const res = await fetch(`${url}/api/chat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          messages: [{ role: 'user', content: 'Hello' }],
        }),
      });
      expect(res.status).toBe(200);
      const events = await readEvents(res);
      expect(events.map(e => e.data.delta ?? '').join('')).toMatch(
        /simulated/i,
      );
      expect(app.output()).not.toContain(sim.token);
    } finally {
      await app?.stop();
      await sim?.stop();
      await built.remove();
    }
  }, 180_000); // a TypeScript program over the openai typings is slow on a loaded machine

  it('renders the portal target with an Ingress, a system, and publish + register steps (skipped in dry-run)', async () => {
    const run = await scaffolder.dryRun({
      ...BASE,
      system: 'system:default/llm-platform',
      target: 'portal',
      portalUrl: 'https://portal.example.com',
      ingressHost: 'chat.example.com',
      repoUrl: 'github.com?owner=acme&repo=support-bot',
    });
    expect(run.status).toBe(200);
    const log = run.log.join('\n');
    expect(log).toContain(
      'Skipping because publish:github does not support dry-run',
    );
    expect(log).toContain(
      'Skipping because catalog:register does not support dry-run',
    );
    expect(log).toMatch(
      /Skipping step show because its if condition was false/,
    );

    expect(env(run.files.get('k8s/deployment.yaml')!).OPENAI_BASE_URL).toBe(
      'https://portal.example.com/api/kaito/entity/resource/kaito-demo/phi-4-mini',
    );
    const entity = await validEntity(run.files.get('catalog-info.yaml')!);
    expect(entity.spec.system).toBe('system:default/llm-platform');

    const ingress = parseAllDocuments(run.files.get('k8s/ingress.yaml')!).map(
      d => d.toJS(),
    );
    expect(ingress).toHaveLength(1);
    expect(ingress[0].spec.rules[0].host).toBe('chat.example.com');
    expect(ingress[0].spec.ingressClassName).toBe('nginx');
  });

  it('renders the Azure OpenAI target', async () => {
    const run = await scaffolder.dryRun({
      ...BASE,
      target: 'azure-openai',
      azureEndpoint: 'https://acme.openai.azure.com',
      azureDeployment: 'gpt-4o-mini',
    });
    expect(run.status).toBe(200);
    expect(env(run.files.get('k8s/deployment.yaml')!)).toMatchObject({
      CHAT_PROVIDER: 'azure',
      OPENAI_BASE_URL: '',
      AZURE_OPENAI_ENDPOINT: 'https://acme.openai.azure.com',
      AZURE_OPENAI_DEPLOYMENT: 'gpt-4o-mini',
    });
    expect(run.files.get('.env.example')).toContain('CHAT_PROVIDER=azure');
  });

  it.each([
    [
      {
        ...BASE,
        name: 'Support_Bot',
        target: 'in-cluster',
        workspaceNamespace: 'x',
      },
      'name',
    ],
    [
      {
        ...BASE,
        target: 'azure-openai',
        azureEndpoint: 'https://a.openai.azure.com',
      },
      'azureDeployment',
    ],
    [
      { ...BASE, target: 'portal', portalUrl: 'http://localhost:7007/' },
      'portalUrl',
    ],
    [
      {
        ...BASE,
        target: 'in-cluster',
        workspaceNamespace: 'x',
        description: 'say "hi"',
      },
      'description',
    ],
  ])('rejects bad values naming the field (%#)', async (values, field) => {
    const run = await scaffolder.dryRun(values);
    expect(run.status).toBe(400);
    expect(JSON.stringify(run.body.errors)).toContain(field);
  });
});
