import { KaitoValidationError } from '../errors';
import {
  buildHfTokenSecret,
  buildInferenceConfigMap,
  buildInferenceWorkspace,
  KAITO_DISABLE_BENCHMARK_ANNOTATION,
  KAITO_PERFORMANCE_MODE_ANNOTATION,
} from './inference';
import {
  issuesOf,
  INFERENCE_INPUT as BASE,
} from '../__testUtils__/builderInputs';

const keys = (o: object) => Object.keys(o).sort();

describe('buildInferenceWorkspace', () => {
  it('builds a minimal preset Workspace with exactly the keys KAITO expects', () => {
    const ws = buildInferenceWorkspace(BASE);
    expect(keys(ws)).toEqual([
      'apiVersion',
      'inference',
      'kind',
      'metadata',
      'resource',
    ]);
    expect(ws.apiVersion).toBe('kaito.sh/v1beta1');
    expect(ws.kind).toBe('Workspace');
    expect(keys(ws.metadata)).toEqual(['name']);
    expect(keys(ws.resource!)).toEqual(['instanceType', 'labelSelector']);
    expect(keys(ws.inference!)).toEqual(['preset']);
    expect(keys(ws.inference!.preset!)).toEqual(['name']);
    expect(ws.inference!.preset!.name).toBe('phi-4-mini-instruct');
  });

  it('adds the runtime, benchmark and performance annotations only when asked', () => {
    const ws = buildInferenceWorkspace({
      ...BASE,
      model: 'microsoft/phi-4',
      runtime: 'transformers',
      disableBenchmark: true,
      performanceMode: 'throughput',
      namespace: 'ml',
      kubernetesId: 'phi-svc',
    });
    expect(ws.metadata.annotations).toEqual({
      'kaito.sh/runtime': 'transformers',
      [KAITO_DISABLE_BENCHMARK_ANNOTATION]: 'true',
      [KAITO_PERFORMANCE_MODE_ANNOTATION]: 'throughput',
    });
    expect(ws.metadata.namespace).toBe('ml');
    expect(ws.metadata.labels).toEqual({
      'backstage.io/kubernetes-id': 'phi-svc',
    });
    const vllm = buildInferenceWorkspace({
      ...BASE,
      runtime: 'vllm',
      disableBenchmark: false,
    });
    expect(keys(vllm.metadata)).toEqual(['name']);
  });

  it('passes the model access Secret, config and adapters, dropping what is unset', () => {
    const ws = buildInferenceWorkspace({
      ...BASE,
      model: 'microsoft/phi-4',
      runtime: 'transformers',
      modelAccessSecret: 'hf-token',
      config: 'phi-config',
      adapters: [
        { name: 'a1', image: 'registry.example.com/a1:1', strength: 0.5 },
        { name: 'a2', image: 'registry.example.com/a2:1', strength: '1' },
        { name: 'a3', image: 'registry.example.com/a3:1' },
      ],
    });
    expect(ws.inference!.preset!.presetOptions).toEqual({
      modelAccessSecret: 'hf-token',
    });
    expect(ws.inference!.config).toBe('phi-config');
    const adapters = ws.inference!.adapters!;
    expect(adapters.map(a => a.strength)).toEqual(['0.5', '1', undefined]);
    expect(keys(adapters[2])).toEqual(['source']);
    expect(keys(adapters[0].source!)).toEqual(['image', 'name']);
  });

  it('needs a token Secret for a gated catalog model', () => {
    expect(
      issuesOf(() =>
        buildInferenceWorkspace({
          ...BASE,
          model: 'meta-llama/Llama-3.1-8B-Instruct',
        }),
      ),
    ).toEqual([
      expect.stringMatching(
        /^modelAccessSecret: meta-llama\/Llama-3.1-8B-Instruct is gated on Hugging Face; create a Secret with key HF_TOKEN/,
      ),
    ]);
  });

  it('names every bad option at once', () => {
    const issues = issuesOf(() =>
      buildInferenceWorkspace({
        ...BASE,
        runtime: 'ollama' as any,
        performanceMode: 'fast' as any,
        adapters: 'a1' as any,
      }),
    );
    expect(issues).toEqual(
      expect.arrayContaining([
        'runtime: must be "vllm" or "transformers", got "ollama"',
        'performanceMode: must be "balanced", "interactivity" or "throughput"',
        'adapters: must be a list of adapters',
      ]),
    );
  });

  it('refuses input that is not an object before reading it', () => {
    expect(issuesOf(() => buildInferenceWorkspace(null as any))).toEqual([
      'input: builder input must be an object, got null',
    ]);
  });
});

describe('buildInferenceConfigMap', () => {
  const data = (input: Parameters<typeof buildInferenceConfigMap>[0]) =>
    buildInferenceConfigMap(input).data['inference_config.yaml'];

  it('writes the probe steps, the KV offload share and vLLM arguments', () => {
    const cm = buildInferenceConfigMap({
      name: 'phi-config',
      namespace: 'ml',
      maxProbeSteps: 3,
      kvCacheCpuMemoryUtilization: 0.5,
      vllm: {
        'max-model-len': 8192,
        'enable-prefix-caching': true,
        dtype: 'half',
        '9x': 1,
      },
    });
    expect(keys(cm)).toEqual(['apiVersion', 'data', 'kind', 'metadata']);
    expect(cm.apiVersion).toBe('v1');
    expect(cm.kind).toBe('ConfigMap');
    expect(cm.metadata).toEqual({ name: 'phi-config', namespace: 'ml' });
    expect(keys(cm.data)).toEqual(['inference_config.yaml']);
    expect(cm.data['inference_config.yaml']).toBe(
      [
        'max_probe_steps: 3',
        'kv_cache_cpu_memory_utilization: 0.5',
        'vllm:',
        '  max-model-len: 8192',
        '  enable-prefix-caching: true',
        '  dtype: "half"',
        '  9x: 1',
        '',
      ].join('\n'),
    );
  });

  it('has no namespace key when none is given, and an empty document when nothing is set', () => {
    const cm = buildInferenceConfigMap({ name: 'c' });
    expect(keys(cm.metadata)).toEqual(['name']);
    expect(cm.data['inference_config.yaml']).toBe('\n');
  });

  it('accepts the ends of the ranges', () => {
    expect(data({ name: 'c', maxProbeSteps: 1 })).toBe('max_probe_steps: 1\n');
    expect(data({ name: 'c', kvCacheCpuMemoryUtilization: 0 })).toBe(
      'kv_cache_cpu_memory_utilization: 0\n',
    );
    expect(data({ name: 'c', kvCacheCpuMemoryUtilization: 1 })).toBe(
      'kv_cache_cpu_memory_utilization: 1\n',
    );
  });

  it.each([
    [{ maxProbeSteps: 0 }, 'maxProbeSteps: must be a whole number >= 1'],
    [{ maxProbeSteps: 2.5 }, 'maxProbeSteps: must be a whole number >= 1'],
    [{ maxProbeSteps: '3' }, 'maxProbeSteps: must be a whole number >= 1'],
    [
      { kvCacheCpuMemoryUtilization: -0.01 },
      'kvCacheCpuMemoryUtilization: must be a number between 0 and 1',
    ],
    [
      { kvCacheCpuMemoryUtilization: 1.01 },
      'kvCacheCpuMemoryUtilization: must be a number between 0 and 1',
    ],
    [
      { kvCacheCpuMemoryUtilization: Number.NaN },
      'kvCacheCpuMemoryUtilization: must be a number between 0 and 1',
    ],
    [
      { kvCacheCpuMemoryUtilization: '0.5' },
      'kvCacheCpuMemoryUtilization: must be a number between 0 and 1',
    ],
    [
      { vllm: ['max-model-len'] },
      'vllm: must be a map of vLLM engine arguments, e.g. {"max-model-len": 8192}',
    ],
    [
      { vllm: null },
      'vllm: must be a map of vLLM engine arguments, e.g. {"max-model-len": 8192}',
    ],
    [
      { vllm: 'max-model-len=8192' },
      'vllm: must be a map of vLLM engine arguments, e.g. {"max-model-len": 8192}',
    ],
    [
      { vllm: { 'Max-Model-Len': 1 } },
      'vllm.Max-Model-Len: vLLM argument names are lower-case words joined by "-", e.g. max-model-len',
    ],
    [
      { vllm: { '-max': 1 } },
      'vllm.-max: vLLM argument names are lower-case words joined by "-", e.g. max-model-len',
    ],
    [
      { vllm: { max_model_len: 1 } },
      'vllm.max_model_len: vLLM argument names are lower-case words joined by "-", e.g. max-model-len',
    ],
    [
      { vllm: { 'max-model-len ': 1 } },
      'vllm.max-model-len : vLLM argument names are lower-case words joined by "-", e.g. max-model-len',
    ],
    [
      { vllm: { 'x\nmax': 1 } },
      'vllm.x\nmax: vLLM argument names are lower-case words joined by "-", e.g. max-model-len',
    ],
    [
      { vllm: { 'max-model-len': { n: 1 } } },
      'vllm.max-model-len: must be a string, finite number or boolean',
    ],
    [
      { vllm: { 'max-model-len': Number.POSITIVE_INFINITY } },
      'vllm.max-model-len: must be a string, finite number or boolean',
    ],
  ])('refuses %j', (extra, issue) => {
    expect(
      issuesOf(() => buildInferenceConfigMap({ name: 'c', ...(extra as any) })),
    ).toEqual([issue]);
  });

  it('needs a valid ConfigMap name', () => {
    expect(issuesOf(() => buildInferenceConfigMap({} as any))).toEqual([
      'name: ConfigMap name is required (a DNS-1123 subdomain)',
    ]);
    const bad = issuesOf(() => buildInferenceConfigMap({ name: 'Bad_Name' }));
    expect(bad).toHaveLength(1);
    expect(bad[0]).toMatch(/^name: /);
  });
});

describe('buildHfTokenSecret', () => {
  const TOKEN = 'hf_AbCdEfGhIjKlMnOpQrStUvWxYz012345';

  it('builds an Opaque Secret with the trimmed token under HF_TOKEN', () => {
    const s = buildHfTokenSecret({
      name: 'hf-token',
      namespace: 'ml',
      token: `  ${TOKEN}\n`,
    });
    expect(keys(s)).toEqual([
      'apiVersion',
      'kind',
      'metadata',
      'stringData',
      'type',
    ]);
    expect(s.apiVersion).toBe('v1');
    expect(s.kind).toBe('Secret');
    expect(s.type).toBe('Opaque');
    expect(s.metadata).toEqual({ name: 'hf-token', namespace: 'ml' });
    expect(s.stringData).toEqual({ HF_TOKEN: TOKEN });
    expect(
      keys(buildHfTokenSecret({ name: 'hf', token: TOKEN }).metadata),
    ).toEqual(['name']);
  });

  it.each([
    [
      'missing',
      undefined,
      'a Hugging Face access token is required (it starts with "hf_")',
    ],
    [
      'blank',
      '   ',
      'a Hugging Face access token is required (it starts with "hf_")',
    ],
    [
      'not a string',
      42,
      'a Hugging Face access token is required (it starts with "hf_")',
    ],
    [
      'broken by whitespace',
      'hf_AbCdEf GhIjKl',
      'the token contains whitespace; paste it again without spaces or line breaks',
    ],
    [
      'broken by a line break',
      'hf_AbCdEf\nGhIjKl',
      'the token contains whitespace; paste it again without spaces or line breaks',
    ],
  ])(
    'refuses a token that is %s, without echoing it',
    (_what, token, message) => {
      let error: unknown;
      try {
        buildHfTokenSecret({ name: 'hf', token } as any);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(KaitoValidationError);
      const e = error as KaitoValidationError;
      expect(e.issues).toEqual([{ field: 'token', message }]);
      const parts =
        typeof token === 'string' ? token.split(/\s+/).filter(Boolean) : [];
      const shown = `${e.message}${JSON.stringify(e.issues)}`;
      for (const part of parts) expect(shown).not.toContain(part);
    },
  );

  it('needs a valid Secret name, and reports it with the token problem', () => {
    expect(issuesOf(() => buildHfTokenSecret({ token: '' } as any))).toEqual([
      'name: Secret name is required (a DNS-1123 subdomain)',
      'token: a Hugging Face access token is required (it starts with "hf_")',
    ]);
    const bad = issuesOf(() =>
      buildHfTokenSecret({ name: '-x', token: TOKEN }),
    );
    expect(bad).toHaveLength(1);
    expect(bad[0]).toMatch(/^name: /);
    expect(bad.join()).not.toContain(TOKEN);
  });

  it('refuses input that is not an object', () => {
    expect(issuesOf(() => buildHfTokenSecret('hf_x' as any))[0]).toBe(
      'input: builder input must be an object, got the string "hf_x"',
    );
  });
});
