import { validateWorkspace, formatIssues } from './validate';
import { buildInferenceWorkspace } from './inference';
import { buildTuningWorkspace } from './tuning';
import { KaitoValidationError } from '../errors';

type Obj = Record<string, any>;
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v));

const inference = (): Obj => ({
  apiVersion: 'kaito.sh/v1beta1',
  kind: 'Workspace',
  metadata: { name: 'workspace-phi-4-mini', namespace: 'default' },
  resource: {
    instanceType: 'Standard_NC24ads_A100_v4',
    labelSelector: { matchLabels: { apps: 'phi-4-mini' } },
  },
  inference: { preset: { name: 'microsoft/Phi-4-mini-instruct' } },
});

const adapters = (): Obj => ({
  ...inference(),
  metadata: {
    name: 'ws-adapters',
    annotations: { 'kaito.sh/runtime': 'transformers' },
  },
  inference: {
    preset: { name: 'phi-3-mini-128k-instruct' },
    adapters: [
      {
        source: { name: 'adapter-a', image: 'myacr.azurecr.io/adapter-a:1' },
        strength: '0.5',
      },
    ],
  },
});

const tuning = (): Obj => ({
  apiVersion: 'kaito.sh/v1beta1',
  kind: 'Workspace',
  metadata: { name: 'tuning-phi-3' },
  resource: {
    instanceType: 'Standard_NC24ads_A100_v4',
    labelSelector: { matchLabels: { app: 'tuning-phi-3' } },
  },
  tuning: {
    preset: { name: 'phi-3-mini-128k-instruct' },
    method: 'qlora',
    input: {
      urls: ['https://huggingface.co/datasets/x/y/resolve/main/train.parquet'],
    },
    output: {
      image: 'myacr.azurecr.io/out:0.0.1',
      imagePushSecret: 'acr-push',
    },
  },
});

interface Mutation {
  name: string;
  base: () => Obj;
  apply: (m: Obj) => void;
  /** The field the issue must name (prefix match). */
  field: string;
  message?: RegExp;
  opts?: Parameters<typeof validateWorkspace>[1];
}

const I = inference;
const A = adapters;
const T = tuning;
const M: Mutation[] = [
  {
    name: 'no metadata',
    base: I,
    apply: m => delete m.metadata,
    field: 'metadata',
  },
  {
    name: 'bad name chars',
    base: I,
    apply: m => (m.metadata.name = 'Bad_Name'),
    field: 'metadata.name',
    message: /DNS-1123/,
  },
  {
    name: 'name starts with digit',
    base: I,
    apply: m => (m.metadata.name = '1abc'),
    field: 'metadata.name',
    message: /start with a letter/,
  },
  {
    name: 'name too long',
    base: I,
    apply: m => (m.metadata.name = 'a'.repeat(64)),
    field: 'metadata.name',
    message: /at most 63/,
  },
  {
    name: 'name not string',
    base: I,
    apply: m => (m.metadata.name = 42),
    field: 'metadata.name',
  },
  {
    name: 'name missing',
    base: I,
    apply: m => delete m.metadata.name,
    field: 'metadata.name',
    message: /required/,
  },
  {
    name: 'bad namespace',
    base: I,
    apply: m => (m.metadata.namespace = 'NS!'),
    field: 'metadata.namespace',
  },
  {
    name: 'bad label key',
    base: I,
    apply: m => (m.metadata.labels = { 'bad key!': 'x' }),
    field: 'metadata.labels',
  },
  {
    name: 'label value number',
    base: I,
    apply: m => (m.metadata.labels = { a: 1 }),
    field: 'metadata.labels',
    message: /quote/,
  },
  {
    name: 'unknown runtime',
    base: I,
    apply: m => (m.metadata.annotations = { 'kaito.sh/runtime': 'tgi' }),
    field: 'metadata.annotations',
    message: /vllm/,
  },
  {
    name: 'annotation bool',
    base: I,
    apply: m =>
      (m.metadata.annotations = { 'kaito.sh/disable-benchmark': true }),
    field: 'metadata.annotations',
  },
  {
    name: 'metadata array',
    base: I,
    apply: m => (m.metadata = []),
    field: 'metadata',
  },
  {
    name: 'wrong apiVersion',
    base: I,
    apply: m => (m.apiVersion = 'kaito.sh/v1'),
    field: 'apiVersion',
  },
  {
    name: 'no apiVersion',
    base: I,
    apply: m => delete m.apiVersion,
    field: 'apiVersion',
  },
  {
    name: 'wrong kind',
    base: I,
    apply: m => (m.kind = 'Deployment'),
    field: 'kind',
  },
  {
    name: 'has spec',
    base: I,
    apply: m => (m.spec = { resource: {} }),
    field: 'spec',
    message: /no spec/,
  },
  {
    name: 'unknown top-level field',
    base: I,
    apply: m => (m.foo = 1),
    field: 'foo',
    message: /dropped/,
  },
  {
    name: 'no resource',
    base: I,
    apply: m => delete m.resource,
    field: 'resource',
  },
  {
    name: 'resource string',
    base: I,
    apply: m => (m.resource = 'x'),
    field: 'resource',
  },
  {
    name: 'no instanceType (NAP)',
    base: I,
    apply: m => delete m.resource.instanceType,
    field: 'resource.instanceType',
    message: /required/,
  },
  {
    name: 'empty instanceType',
    base: I,
    apply: m => (m.resource.instanceType = ' '),
    field: 'resource.instanceType',
  },
  {
    name: 'retired V100',
    base: I,
    apply: m => (m.resource.instanceType = 'Standard_NC6s_v3'),
    field: 'resource.instanceType',
    message: /V100/,
  },
  {
    name: 'retired T4',
    base: I,
    apply: m => (m.resource.instanceType = 'Standard_NC4as_T4_v3'),
    field: 'resource.instanceType',
    message: /T4/,
  },
  {
    name: 'non-GPU size',
    base: I,
    apply: m => (m.resource.instanceType = 'm5.large'),
    field: 'resource.instanceType',
    message: /Unsupported/,
  },
  {
    name: 'instanceType number',
    base: I,
    apply: m => (m.resource.instanceType = 123),
    field: 'resource.instanceType',
  },
  {
    name: 'instanceType in BYO',
    base: I,
    apply: () => undefined,
    field: 'resource.instanceType',
    message: /must be empty/,
    opts: { nodeAutoProvisioning: false },
  },
  {
    name: 'no labelSelector',
    base: I,
    apply: m => delete m.resource.labelSelector,
    field: 'resource.labelSelector',
  },
  {
    name: 'empty labelSelector',
    base: I,
    apply: m => (m.resource.labelSelector = {}),
    field: 'resource.labelSelector',
    message: /empty/,
  },
  {
    name: 'NotIn expression',
    base: I,
    apply: m =>
      (m.resource.labelSelector.matchExpressions = [
        { key: 'a', operator: 'NotIn', values: ['b'] },
      ]),
    field: 'resource.labelSelector.matchExpressions[0].operator',
    message: /'In'/,
  },
  {
    name: 'In without values',
    base: I,
    apply: m =>
      (m.resource.labelSelector.matchExpressions = [
        { key: 'a', operator: 'In' },
      ]),
    field: 'resource.labelSelector.matchExpressions[0].values',
  },
  {
    name: 'expression no key',
    base: I,
    apply: m =>
      (m.resource.labelSelector.matchExpressions = [
        { operator: 'In', values: ['b'] },
      ]),
    field: 'resource.labelSelector.matchExpressions[0].key',
  },
  {
    name: 'expressions not list',
    base: I,
    apply: m => (m.resource.labelSelector.matchExpressions = 'x'),
    field: 'resource.labelSelector.matchExpressions',
  },
  {
    name: 'bad matchLabels value',
    base: I,
    apply: m => (m.resource.labelSelector.matchLabels = { apps: 'bad value!' }),
    field: 'resource.labelSelector.matchLabels',
  },
  {
    name: 'count 0',
    base: I,
    apply: m => (m.resource.count = 0),
    field: 'resource.count',
  },
  {
    name: 'count string',
    base: I,
    apply: m => (m.resource.count = 'two'),
    field: 'resource.count',
  },
  {
    name: 'count 2 on transformers',
    base: A,
    apply: m => (m.resource.count = 2),
    field: 'resource.count',
    message: /Multi-node/,
  },
  {
    name: 'partition with NAP',
    base: I,
    apply: m => (m.resource.partition = { mode: 'mig', profile: '1g.10gb' }),
    field: 'resource.partition',
    message: /own nodes/,
  },
  {
    name: 'partition bad mode',
    base: I,
    apply: m => {
      delete m.resource.instanceType;
      m.resource.partition = { mode: 'x' };
    },
    field: 'resource.partition.mode',
    opts: { nodeAutoProvisioning: false },
  },
  {
    name: 'mig without profile',
    base: I,
    apply: m => {
      delete m.resource.instanceType;
      m.resource.partition = { mode: 'mig' };
    },
    field: 'resource.partition.profile',
    opts: { nodeAutoProvisioning: false },
  },
  {
    name: 'accelerator count 0',
    base: I,
    apply: m => {
      delete m.resource.instanceType;
      m.resource.partition = { mode: 'accelerator', count: 0 };
    },
    field: 'resource.partition.count',
    opts: { nodeAutoProvisioning: false },
  },
  {
    name: 'partition on v1alpha1',
    base: I,
    apply: m => {
      m.apiVersion = 'kaito.sh/v1alpha1';
      delete m.resource.instanceType;
      m.resource.partition = { mode: 'mig', profile: '1g.10gb' };
    },
    field: 'resource.partition',
    message: /v1beta1/,
    opts: { nodeAutoProvisioning: false },
  },
  {
    name: 'preferredNodes string',
    base: I,
    apply: m => (m.resource.preferredNodes = 'node'),
    field: 'resource.preferredNodes',
  },
  {
    name: 'unknown resource field',
    base: I,
    apply: m => (m.resource.gpus = 2),
    field: 'resource.gpus',
  },
  {
    name: 'neither inference nor tuning',
    base: I,
    apply: m => delete m.inference,
    field: 'inference',
    message: /Either/,
  },
  {
    name: 'both inference and tuning',
    base: I,
    apply: m => (m.tuning = tuning().tuning),
    field: 'tuning',
    message: /not both/,
  },
  {
    name: 'no preset',
    base: I,
    apply: m => (m.inference = {}),
    field: 'inference.preset',
  },
  {
    name: 'empty preset name',
    base: I,
    apply: m => (m.inference.preset.name = ''),
    field: 'inference.preset.name',
  },
  {
    name: 'retired falcon',
    base: I,
    apply: m => (m.inference.preset.name = 'falcon-7b'),
    field: 'inference.preset.name',
    message: /deprecated/,
  },
  {
    name: 'phi-2 retired with replacement',
    base: I,
    apply: m => (m.inference.preset.name = 'phi-2'),
    field: 'inference.preset.name',
    message: /use microsoft/,
  },
  {
    name: 'not a model name',
    base: I,
    apply: m => (m.inference.preset.name = 'not a model'),
    field: 'inference.preset.name',
    message: /<org>\/<model>/,
  },
  {
    name: 'preset name number',
    base: I,
    apply: m => (m.inference.preset.name = 5),
    field: 'inference.preset.name',
  },
  {
    name: 'preset and template',
    base: I,
    apply: m => (m.inference.template = { spec: {} }),
    field: 'inference',
    message: /mutually exclusive/,
  },
  {
    name: 'bad accessMode',
    base: I,
    apply: m => (m.inference.preset.accessMode = 'secret'),
    field: 'inference.preset.accessMode',
  },
  {
    name: 'bad secret name',
    base: I,
    apply: m =>
      (m.inference.preset.presetOptions = { modelAccessSecret: 'Bad_Secret' }),
    field: 'inference.preset.presetOptions.modelAccessSecret',
  },
  {
    name: 'modelAccessSecret on v1alpha1',
    base: I,
    apply: m => {
      m.apiVersion = 'kaito.sh/v1alpha1';
      m.inference.preset.presetOptions = { modelAccessSecret: 'hf' };
    },
    field: 'inference.preset.presetOptions.modelAccessSecret',
    message: /v1beta1/,
  },
  {
    name: 'presetOptions unknown',
    base: I,
    apply: m => (m.inference.preset.presetOptions = { token: 'x' }),
    field: 'inference.preset.presetOptions.token',
  },
  {
    name: 'bad config name',
    base: I,
    apply: m => (m.inference.config = 'My Config'),
    field: 'inference.config',
  },
  {
    name: 'adapters not list',
    base: A,
    apply: m => (m.inference.adapters = 'x'),
    field: 'inference.adapters',
  },
  {
    name: 'adapter not object',
    base: A,
    apply: m => (m.inference.adapters = [7]),
    field: 'inference.adapters[0]',
  },
  {
    name: 'adapter no source',
    base: A,
    apply: m => delete m.inference.adapters[0].source,
    field: 'inference.adapters[0].source',
  },
  {
    name: 'adapter urls',
    base: A,
    apply: m => (m.inference.adapters[0].source.urls = ['https://x.y/z']),
    field: 'inference.adapters[0].source.urls',
  },
  {
    name: 'adapter no image or volume',
    base: A,
    apply: m => delete m.inference.adapters[0].source.image,
    field: 'inference.adapters[0].source',
  },
  {
    name: 'adapter image and volume',
    base: A,
    apply: m =>
      (m.inference.adapters[0].source.volumeSource = { emptyDir: {} }),
    field: 'inference.adapters[0].source',
    message: /not both/,
  },
  {
    name: 'adapter bad name',
    base: A,
    apply: m => (m.inference.adapters[0].source.name = 'Bad Name'),
    field: 'inference.adapters[0].source.name',
  },
  {
    name: 'adapter no name',
    base: A,
    apply: m => delete m.inference.adapters[0].source.name,
    field: 'inference.adapters[0].source.name',
  },
  {
    name: 'adapter strength 1.5',
    base: A,
    apply: m => (m.inference.adapters[0].strength = '1.5'),
    field: 'inference.adapters[0].strength',
  },
  {
    name: 'adapter strength number',
    base: A,
    apply: m => (m.inference.adapters[0].strength = 0.5),
    field: 'inference.adapters[0].strength',
  },
  {
    name: 'adapter strength on vLLM',
    base: A,
    apply: m => delete m.metadata.annotations,
    field: 'inference.adapters[0].strength',
    message: /vLLM does not support/,
  },
  {
    name: 'adapter image upper case',
    base: A,
    apply: m => (m.inference.adapters[0].source.image = 'ACR/Adapter:1'),
    field: 'inference.adapters[0].source.image',
  },
  {
    name: 'duplicate adapter names',
    base: A,
    apply: m => m.inference.adapters.push(clone(m.inference.adapters[0])),
    field: 'inference.adapters[1].source.name',
    message: /twice/,
  },
  {
    name: 'vLLM-only model on transformers',
    base: A,
    apply: m => (m.inference.preset.name = 'microsoft/Phi-4-mini-instruct'),
    field: 'metadata.annotations["kaito.sh/runtime"]',
    message: /Transformers/,
  },
  {
    name: 'transformers GPU memory too small',
    base: A,
    apply: m => {
      m.inference.preset.name = 'llama-3.3-70b-instruct';
      delete m.inference.adapters;
      m.resource.instanceType = 'Standard_NV36ads_A10_v5';
    },
    field: 'resource.instanceType',
    message: /Insufficient total GPU memory/,
  },
  {
    name: 'unknown inference field',
    base: I,
    apply: m => (m.inference.replicas = 2),
    field: 'inference.replicas',
  },
  {
    name: 'template not object',
    base: I,
    apply: m => {
      delete m.inference.preset;
      m.inference.template = 'x';
    },
    field: 'inference.template',
  },
  {
    name: 'tuning not object',
    base: T,
    apply: m => (m.tuning = 'x'),
    field: 'tuning',
  },
  {
    name: 'no method',
    base: T,
    apply: m => delete m.tuning.method,
    field: 'tuning.method',
  },
  {
    name: 'bad method',
    base: T,
    apply: m => (m.tuning.method = 'full'),
    field: 'tuning.method',
  },
  {
    name: 'tuning no preset',
    base: T,
    apply: m => delete m.tuning.preset,
    field: 'tuning.preset',
  },
  {
    name: 'untunable model',
    base: T,
    apply: m => (m.tuning.preset.name = 'llama-3.1-8b-instruct'),
    field: 'tuning.preset.name',
    message:
      /no tuning support in KAITO's model catalog.*override "untunableModel"/,
  },
  {
    name: 'uncatalogued tuning model',
    base: T,
    apply: m => (m.tuning.preset.name = 'org/custom'),
    field: 'tuning.preset.name',
    message: /Unsupported tuning preset/,
  },
  {
    name: 'two inputs',
    base: T,
    apply: m => (m.tuning.input.image = 'myacr.azurecr.io/data:1'),
    field: 'tuning.input',
    message: /Exactly one/,
  },
  {
    name: 'no input source',
    base: T,
    apply: m => (m.tuning.input = { name: 'x' }),
    field: 'tuning.input',
    message: /Exactly one/,
  },
  {
    name: 'ftp url',
    base: T,
    apply: m => (m.tuning.input.urls = ['ftp://x.y/z']),
    field: 'tuning.input.urls[0]',
  },
  {
    name: 'metadata url',
    base: T,
    apply: m => (m.tuning.input.urls = ['http://169.254.169.254/latest']),
    field: 'tuning.input.urls[0]',
    message: /link-local/,
  },
  {
    name: 'localhost url',
    base: T,
    apply: m => (m.tuning.input.urls = ['http://localhost:8080/x']),
    field: 'tuning.input.urls[0]',
  },
  {
    name: 'private url',
    base: T,
    apply: m => (m.tuning.input.urls = ['http://10.0.0.1/x']),
    field: 'tuning.input.urls[0]',
  },
  {
    name: 'ipv6 loopback url',
    base: T,
    apply: m => (m.tuning.input.urls = ['http://[::1]/x']),
    field: 'tuning.input.urls[0]',
  },
  {
    name: 'not a url',
    base: T,
    apply: m => (m.tuning.input.urls = ['not a url']),
    field: 'tuning.input.urls[0]',
  },
  {
    name: 'empty urls',
    base: T,
    apply: m => (m.tuning.input.urls = []),
    field: 'tuning.input',
  },
  {
    name: 'url not string',
    base: T,
    apply: m => (m.tuning.input.urls = [1]),
    field: 'tuning.input.urls[0]',
  },
  {
    name: 'image without push secret',
    base: T,
    apply: m => delete m.tuning.output.imagePushSecret,
    field: 'tuning.output.imagePushSecret',
    message: /imagePushSecret/,
  },
  {
    name: 'two outputs',
    base: T,
    apply: m => (m.tuning.output.volumeSource = { emptyDir: {} }),
    field: 'tuning.output',
    message: /found both/,
  },
  {
    name: 'no output target',
    base: T,
    apply: m => (m.tuning.output = {}),
    field: 'tuning.output',
  },
  {
    name: 'no output',
    base: T,
    apply: m => delete m.tuning.output,
    field: 'tuning.output',
  },
  {
    name: 'no input',
    base: T,
    apply: m => delete m.tuning.input,
    field: 'tuning.input',
  },
  {
    name: 'multi-node tuning',
    base: T,
    apply: m => (m.resource.count = 2),
    field: 'resource.count',
    message: /Tuning does not support multi-node/,
  },
  {
    name: 'bad input image',
    base: T,
    apply: m => (m.tuning.input = { image: 'bad image!' }),
    field: 'tuning.input.image',
  },
  {
    name: 'push secret with volume',
    base: T,
    apply: m =>
      (m.tuning.output = {
        volumeSource: { emptyDir: {} },
        imagePushSecret: 's',
      }),
    field: 'tuning.output.imagePushSecret',
  },
  {
    name: 'bad tuning config',
    base: T,
    apply: m => (m.tuning.config = 'Bad'),
    field: 'tuning.config',
  },
  {
    name: 'unknown tuning field',
    base: T,
    apply: m => (m.tuning.epochs = 3),
    field: 'tuning.epochs',
  },
  {
    name: 'changed instanceType',
    base: I,
    apply: m => (m.resource.instanceType = 'Standard_NC48ads_A100_v4'),
    field: 'resource.instanceType',
    message: /cannot be changed/,
    opts: { previous: inference() },
  },
  {
    name: 'toggled to tuning',
    base: T,
    apply: () => undefined,
    field: 'inference',
    message: /toggled/,
    opts: { previous: inference() },
  },
  {
    name: 'changed tuning method',
    base: T,
    apply: m => (m.tuning.method = 'lora'),
    field: 'tuning.method',
    message: /cannot be changed/,
    opts: { previous: tuning() },
  },
  {
    name: 'changed count',
    base: I,
    apply: m => (m.resource.count = 1),
    field: 'resource.count',
    message: /immutable/,
    opts: {
      previous: {
        ...inference(),
        resource: { ...inference().resource, count: 2 },
      },
    },
  },
];

function check(
  manifest: unknown,
  opts?: Parameters<typeof validateWorkspace>[1],
) {
  let issues: ReturnType<typeof validateWorkspace> = [];
  expect(() => (issues = validateWorkspace(manifest, opts))).not.toThrow();
  for (const i of issues) {
    expect(typeof i.field).toBe('string');
    expect(i.field.length).toBeGreaterThan(0);
    expect(i.message.length).toBeGreaterThan(8);
    expect(i.message).not.toMatch(/could not validate/);
  }
  return issues;
}

describe('validateWorkspace', () => {
  it('accepts the valid bases', () => {
    expect(check(inference())).toEqual([]);
    expect(check(adapters())).toEqual([]);
    expect(check(tuning())).toEqual([]);
    expect(check(inference(), { previous: inference() })).toEqual([]);
    const byo = inference();
    delete byo.resource.instanceType;
    expect(check(byo, { nodeAutoProvisioning: false })).toEqual([]);
  });

  it('accepts any org/model HF id and unknown Standard_N* sizes, like the webhook', () => {
    const m = inference();
    m.inference.preset.name = 'SomeOrg/Some-Model-7B.v2';
    m.resource.instanceType = 'Standard_NC8as_XYZ_v9';
    // KAITO admits it; the project warns (overridable), see admission.test.ts.
    expect(check(m, { overrides: { unknownInstanceType: true } })).toEqual([]);
    expect(check(m)).toEqual([
      expect.objectContaining({
        severity: 'warning',
        override: 'unknownInstanceType',
      }),
    ]);
  });

  it.each(M.map(x => [x.name, x] as const))(
    'names the field for: %s',
    (_name, mutation) => {
      const m = clone(mutation.base());
      mutation.apply(m);
      const issues = check(m, mutation.opts);
      const hit = issues.find(i => i.field.startsWith(mutation.field));
      if (!hit)
        throw new Error(
          `expected an issue on ${mutation.field}, got:\n${formatIssues(
            issues,
          )}`,
        );
      expect(hit.message).toMatch(mutation.message ?? /\w/);
    },
  );

  it.each([null, undefined, 'string', 42, [], true, () => 1])(
    'rejects non-object manifest %p',
    value => {
      expect(check(value)).toEqual([
        expect.objectContaining({ field: 'manifest' }),
      ]);
    },
  );

  it('gives a named error for ≥100 generated combinations of two mutations', () => {
    let seed = 12345;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    let generated = 0;
    while (generated < 150) {
      const a = M[rand(M.length)];
      const b = M[rand(M.length)];
      if (a.base !== b.base || a.opts || b.opts || a === b) continue;
      const m = clone(a.base());
      try {
        a.apply(m);
        b.apply(m);
      } catch {
        continue; // the second mutation needed a part the first removed
      }
      const issues = check(m);
      expect(issues.length).toBeGreaterThan(0);
      generated++;
    }
    expect(generated).toBe(150);
  });

  it('counts its generated invalid manifests', () => {
    expect(M.length).toBeGreaterThanOrEqual(100);
  });
});

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('builders reject bad input with KaitoValidationError only', () => {
  const garbage: unknown[] = [
    null,
    undefined,
    1,
    'x',
    [],
    {},
    { name: 'x' },
    { model: 'phi-4' },
    { name: 'Bad', model: 'phi-4', instanceType: 'Standard_NC24ads_A100_v4' },
    { name: 'ok', model: {}, instanceType: 7 },
    {
      name: 'ok',
      model: 'phi-4',
      instanceType: 'Standard_NC24ads_A100_v4',
      adapters: 'x',
    },
    {
      name: 'ok',
      model: 'phi-4',
      instanceType: 'Standard_NC24ads_A100_v4',
      adapters: [null],
    },
    {
      name: 'ok',
      model: 'phi-4',
      instanceType: 'Standard_NC24ads_A100_v4',
      labelSelector: 'x',
    },
    {
      name: 'ok',
      model: 'phi-4',
      instanceType: 'Standard_NC24ads_A100_v4',
      kubernetesId: 'bad value!',
    },
    {
      name: 'ok',
      model: 'phi-4',
      instanceType: 'Standard_NC24ads_A100_v4',
      runtime: 'tgi',
    },
  ];

  it.each(garbage.map(g => [JSON.stringify(g) ?? String(g), g]))(
    'inference builder: %s',
    (_label, input) => {
      const error = thrown(() => buildInferenceWorkspace(input as never));
      expect(error).toBeInstanceOf(KaitoValidationError);
      expect((error as KaitoValidationError).issues.length).toBeGreaterThan(0);
    },
  );

  it.each(garbage.map(g => [JSON.stringify(g) ?? String(g), g]))(
    'tuning builder: %s',
    (_label, input) => {
      expect(() => buildTuningWorkspace(input as never)).toThrow(
        KaitoValidationError,
      );
    },
  );

  it('requires a token Secret for gated models and names the input field', () => {
    const error = thrown(() =>
      buildInferenceWorkspace({
        name: 'llama',
        model: 'llama-3.1-8b-instruct',
        instanceType: 'Standard_NC24ads_A100_v4',
      }),
    );
    expect((error as KaitoValidationError).issues).toEqual([
      expect.objectContaining({
        field: 'modelAccessSecret',
        message: expect.stringMatching(/gated.*HF_TOKEN/),
      }),
    ]);
  });
});
