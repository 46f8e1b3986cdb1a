import { validateWorkspace } from './validate';

/*
 * KAITO's webhook rules (api/v1beta1/workspace_validation.go and labels.go at
 * v0.12.0), create and update, with node auto-provisioning on and off,
 * written as cases in our own words.
 */

type Obj = Record<string, any>;

const ws = (over: (m: Obj) => void = () => {}): Obj => {
  const m: Obj = {
    apiVersion: 'kaito.sh/v1beta1',
    kind: 'Workspace',
    metadata: { name: 'workspace-phi', namespace: 'default', annotations: {} },
    resource: {
      instanceType: 'Standard_NC24ads_A100_v4',
      labelSelector: { matchLabels: { apps: 'phi' } },
    },
    inference: { preset: { name: 'phi-4-mini-instruct' } },
  };
  over(m);
  return m;
};
const byo = (m: Obj) => {
  delete m.resource.instanceType;
};
const tuning = (over: (m: Obj) => void = () => {}): Obj =>
  ws(m => {
    delete m.inference;
    m.tuning = {
      preset: { name: 'phi-3-mini-128k-instruct' },
      method: 'qlora',
      input: { name: 'data', urls: ['https://example.com/train.parquet'] },
      output: { image: 'myacr.azurecr.io/adapter:1', imagePushSecret: 'push' },
    };
    over(m);
  });

const errors = (m: Obj, opts: Parameters<typeof validateWorkspace>[1] = {}) =>
  validateWorkspace(m, opts)
    .filter(i => i.severity !== 'warning')
    .map(i => `${i.field}: ${i.message}`);

const adapter = (i: number) => ({
  source: { name: `a${i}`, image: `myacr.azurecr.io/a${i}:1` },
});

describe('admission: create', () => {
  it.each<[string, Obj, RegExp]>([
    [
      'a selector of only KAITO-reserved labels',
      ws(
        m =>
          (m.resource.labelSelector.matchLabels = {
            'kaito.sh/workspace': 'x',
            'karpenter.kaito.sh/workspace-name': 'x',
          }),
      ),
      /^resource\.labelSelector\.matchLabels: matchLabels must contain at least one non-reserved label/,
    ],
    [
      'more than 10 adapters',
      ws(
        m =>
          (m.inference.adapters = Array.from({ length: 11 }, (_, i) =>
            adapter(i),
          )),
      ),
      /^inference\.adapters: Number of Adapters exceeds the maximum limit, maximum of 10 allowed/,
    ],
    [
      'an invalid kaito.sh/node-image-family',
      ws(
        m => (m.metadata.annotations['kaito.sh/node-image-family'] = 'windows'),
      ),
      /node-image-family\]: "windows" is not a supported node image family; use ubuntu or azurelinux/,
    ],
    [
      'an invalid kaito.sh/performance-mode',
      ws(m => (m.metadata.annotations['kaito.sh/performance-mode'] = 'fast')),
      /performance-mode\]: "fast" is not a valid performance mode; choose one of: balanced, interactivity, throughput/,
    ],
    [
      'an invalid kaito.sh/use-local-weights',
      ws(m => (m.metadata.annotations['kaito.sh/use-local-weights'] = 'yes')),
      /use-local-weights\]: "yes" must be "true" or "false"/,
    ],
    [
      'Transformers with bypass-resource-checks and a model larger than one node',
      ws(m => {
        m.metadata.annotations['kaito.sh/runtime'] = 'transformers';
        m.metadata.annotations['kaito.sh/bypass-resource-checks'] = 'true';
        m.resource.instanceType = 'Standard_NV36ads_A10_v5';
        m.inference.preset.name = 'qwen2.5-coder-32b-instruct';
      }),
      /^resource\.instanceType: Multi-node distributed inference is not supported with Huggingface Transformers runtime/,
    ],
  ])('refuses %s, as KAITO does', (_name, m, expected) => {
    expect(errors(m)).toEqual(
      expect.arrayContaining([expect.stringMatching(expected)]),
    );
  });

  it.each<[string, Obj]>([
    [
      'a selector with one own label beside reserved ones',
      ws(
        m => (m.resource.labelSelector.matchLabels['kaito.sh/workspace'] = 'x'),
      ),
    ],
    [
      'exactly 10 adapters',
      ws(
        m =>
          (m.inference.adapters = Array.from({ length: 10 }, (_, i) =>
            adapter(i),
          )),
      ),
    ],
    [
      'node image family in any case',
      ws(
        m =>
          (m.metadata.annotations['kaito.sh/node-image-family'] =
            ' AzureLinux '),
      ),
    ],
    [
      'each performance mode',
      ws(
        m =>
          (m.metadata.annotations['kaito.sh/performance-mode'] = 'throughput'),
      ),
    ],
    [
      'use-local-weights false',
      ws(m => (m.metadata.annotations['kaito.sh/use-local-weights'] = 'false')),
    ],
  ])('admits %s', (_name, m) => {
    expect(errors(m)).toEqual([]);
  });

  it('node auto-provisioning on/off (option or feature gate) decides whether instanceType is required or forbidden', () => {
    expect(errors(ws(byo))).toEqual([
      expect.stringMatching(
        /^resource\.instanceType: is required when node auto-provisioning is enabled/,
      ),
    ]);
    expect(errors(ws(byo), { nodeAutoProvisioning: false })).toEqual([]);
    expect(
      errors(ws(byo), { featureGates: { disableNodeAutoProvisioning: true } }),
    ).toEqual([]);
    expect(
      errors(ws(), { featureGates: { disableNodeAutoProvisioning: true } }),
    ).toEqual([
      expect.stringMatching(
        /^resource\.instanceType: must be empty when node auto-provisioning is disabled/,
      ),
    ]);
    // The gate wins over the option.
    expect(
      errors(ws(byo), {
        nodeAutoProvisioning: true,
        featureGates: { disableNodeAutoProvisioning: true },
      }),
    ).toEqual([]);
  });
});

describe('admission: project rules stricter than KAITO are overridable warnings', () => {
  it('an unknown Standard_N size', () => {
    const m = ws(x => (x.resource.instanceType = 'Standard_NC24ads_A100_v9'));
    expect(errors(m)).toEqual([]);
    expect(validateWorkspace(m)).toEqual([
      expect.objectContaining({
        field: 'resource.instanceType',
        severity: 'warning',
        override: 'unknownInstanceType',
      }),
    ]);
    expect(
      validateWorkspace(m, { overrides: { unknownInstanceType: true } }),
    ).toEqual([]);
  });

  it('tuning a model the catalog cannot tune', () => {
    const m = tuning(x => (x.tuning.preset.name = 'llama-3.1-8b-instruct'));
    expect(validateWorkspace(m)).toEqual([
      expect.objectContaining({
        severity: 'warning',
        override: 'untunableModel',
      }),
    ]);
    expect(
      validateWorkspace(m, { overrides: { untunableModel: true } }),
    ).toEqual([]);
  });
});

describe('admission: update', () => {
  const cases: Array<[string, Obj, Obj, boolean, RegExp | RegExp[] | null]> = [
    [
      'label selector changed',
      ws(),
      ws(m => (m.resource.labelSelector.matchLabels = { apps: 'other' })),
      true,
      /^resource\.labelSelector: field is immutable/,
    ],
    [
      'label selector rewritten as an equal In expression',
      ws(),
      ws(
        m =>
          (m.resource.labelSelector = {
            matchExpressions: [
              { key: 'apps', operator: 'In', values: ['phi'] },
            ],
          }),
      ),
      true,
      null,
    ],
    [
      'inference preset changed',
      ws(),
      ws(m => (m.inference.preset.name = 'phi-4')),
      true,
      /^inference\.preset: field is immutable/,
    ],
    [
      'template added (in place of the preset)',
      ws(),
      ws(
        m =>
          (m.inference = {
            template: { spec: { containers: [{ name: 'c', image: 'i' }] } },
          }),
      ),
      true,
      [
        /^inference\.template: field cannot be unset\/set/,
        /^inference\.preset: field is immutable/,
      ],
    ],
    [
      'template removed',
      ws(
        m =>
          (m.inference = {
            template: { spec: { containers: [{ name: 'c', image: 'i' }] } },
          }),
      ),
      ws(m => (m.inference = { preset: { name: 'phi-4-mini-instruct' } })),
      true,
      /^inference\.template: field cannot be unset\/set/,
    ],
    [
      'tuning input name changed',
      tuning(),
      tuning(m => (m.tuning.input.name = 'other')),
      true,
      /^tuning\.input\.name: During tuning Name field cannot be changed once set/,
    ],
    [
      'instanceType changed with NAP',
      ws(),
      ws(m => (m.resource.instanceType = 'Standard_NC48ads_A100_v4')),
      true,
      /^resource\.instanceType: instanceType cannot be changed once set when node auto-provisioning is enabled/,
    ],
    [
      'old instanceType kept without NAP (KAITO allows it)',
      ws(),
      ws(),
      false,
      null,
    ],
    [
      'old instanceType cleared without NAP (KAITO allows it)',
      ws(),
      ws(byo),
      false,
      null,
    ],
    [
      'old instanceType changed without NAP',
      ws(),
      ws(m => (m.resource.instanceType = 'Standard_NC48ads_A100_v4')),
      false,
      /^resource\.instanceType: instanceType cannot be changed once set/,
    ],
    [
      'instanceType added without NAP',
      ws(byo),
      ws(),
      false,
      /^resource\.instanceType: must be empty when node auto-provisioning is disabled/,
    ],
    ['nothing changed', ws(), ws(), true, null],
    // More of KAITO's update rules (ResourceSpec, InferenceSpec, TuningSpec
    // and DataSource validateUpdate), as pairs of stored and new objects.
    [
      'instanceType cleared with NAP',
      ws(),
      ws(byo),
      true,
      /^resource\.instanceType: is required when node auto-provisioning is enabled/,
    ],
    [
      'count changed',
      ws(m => (m.resource.count = 1)),
      ws(m => (m.resource.count = 2)),
      true,
      /^resource\.count: field is immutable/,
    ],
    [
      'count kept',
      ws(m => (m.resource.count = 2)),
      ws(m => (m.resource.count = 2)),
      true,
      null,
    ],
    [
      'count changed without NAP',
      ws(m => {
        byo(m);
        m.resource.count = 1;
      }),
      ws(m => {
        byo(m);
        m.resource.count = 3;
      }),
      false,
      /^resource\.count: field is immutable/,
    ],
    [
      'label selector with a label added',
      ws(),
      ws(m => (m.resource.labelSelector.matchLabels.team = 'ml')),
      true,
      /^resource\.labelSelector: field is immutable/,
    ],
    [
      'label selector changed without NAP',
      ws(byo),
      ws(m => {
        byo(m);
        m.resource.labelSelector.matchLabels = { apps: 'other' };
      }),
      false,
      /^resource\.labelSelector: field is immutable/,
    ],
    [
      'model access secret added to the preset',
      ws(),
      ws(
        m =>
          (m.inference.preset.presetOptions = {
            modelAccessSecret: 'hf-token',
          }),
      ),
      true,
      /^inference\.preset: field is immutable/,
    ],
    [
      'template content changed (set before and after)',
      ws(
        m =>
          (m.inference = {
            template: { spec: { containers: [{ name: 'c', image: 'i:1' }] } },
          }),
      ),
      ws(
        m =>
          (m.inference = {
            template: { spec: { containers: [{ name: 'c', image: 'i:2' }] } },
          }),
      ),
      true,
      null,
    ],
    [
      'adapter added',
      ws(),
      ws(m => (m.inference.adapters = [adapter(1)])),
      true,
      null,
    ],
    [
      'adapter removed',
      ws(m => (m.inference.adapters = [adapter(1), adapter(2)])),
      ws(m => (m.inference.adapters = [adapter(2)])),
      true,
      null,
    ],
    [
      'adapters renamed to a duplicate',
      ws(m => (m.inference.adapters = [adapter(1), adapter(2)])),
      ws(m => (m.inference.adapters = [adapter(1), adapter(1)])),
      true,
      /^inference\.adapters\[1\]\.source\.name: adapter name "a1" is used twice/,
    ],
    [
      'annotations changed (performance mode added)',
      ws(),
      ws(
        m =>
          (m.metadata.annotations['kaito.sh/performance-mode'] = 'throughput'),
      ),
      true,
      null,
    ],
    [
      'inference replaced by tuning',
      ws(),
      tuning(),
      true,
      [
        /^inference: Inference field cannot be toggled once set/,
        /^tuning: Tuning field cannot be toggled once set/,
      ],
    ],
    [
      'tuning replaced by inference',
      tuning(),
      ws(),
      true,
      [
        /^inference: Inference field cannot be toggled once set/,
        /^tuning: Tuning field cannot be toggled once set/,
      ],
    ],
    [
      'tuning method changed',
      tuning(),
      tuning(m => (m.tuning.method = 'lora')),
      true,
      /^tuning\.method: the tuning method cannot be changed once set/,
    ],
    [
      'tuning preset changed',
      tuning(),
      tuning(m => (m.tuning.preset.name = 'phi-3-mini-4k-instruct')),
      true,
      /^tuning\.preset: the tuning preset cannot be changed once set/,
    ],
    [
      'tuning input URLs changed (KAITO allows it)',
      tuning(),
      tuning(
        m => (m.tuning.input.urls = ['https://example.com/other.parquet']),
      ),
      true,
      null,
    ],
    [
      'tuning output image changed (KAITO allows it)',
      tuning(),
      tuning(m => (m.tuning.output.image = 'myacr.azurecr.io/adapter:2')),
      true,
      null,
    ],
    ['tuning unchanged', tuning(), tuning(), true, null],
  ];
  it.each(cases)('%s', (_name, previous, next, nap, expected) => {
    const found = errors(next, { previous, nodeAutoProvisioning: nap });
    const want = expected === null ? [] : [expected].flat();
    expect({ count: found.length, found }).toEqual({
      count: want.length,
      found: expect.arrayContaining(want.map(r => expect.stringMatching(r))),
    });
  });
});
