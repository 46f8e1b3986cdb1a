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
import os from 'os';
import path from 'path';
import ts from 'typescript';
import { parse, parseAllDocuments } from 'yaml';
import { SHARED_FILES, PACKAGE_DIR } from './skeleton';
import { startScaffolder } from './__testUtils__/dryRun';

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

/** Type-checks the rendered app as its own project, with its own tsconfig.json. */
async function typeCheck(files: Map<string, string>): Promise<string[]> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'chat-app-'));
  try {
    for (const [p, text] of files) {
      await fs.mkdir(path.dirname(path.join(dir, p)), { recursive: true });
      await fs.writeFile(path.join(dir, p), text);
    }
    // The repo's installed openai, @types/node and typescript stand in for `npm install`.
    await fs.symlink(
      path.resolve(PACKAGE_DIR, '../../node_modules'),
      path.join(dir, 'node_modules'),
    );
    const config = ts.getParsedCommandLineOfConfigFile(
      path.join(dir, 'tsconfig.json'),
      { noEmit: true },
      { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
    )!;
    const program = ts.createProgram(config.fileNames, config.options);
    return ts
      .getPreEmitDiagnostics(program)
      .map(d => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

describe('kaito-chat-app template (scaffolder dry-run)', () => {
  let scaffolder: Awaited<ReturnType<typeof startScaffolder>>;

  beforeAll(async () => {
    scaffolder = await startScaffolder();
  });

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

    expect(await typeCheck(run.files)).toEqual([]);
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
