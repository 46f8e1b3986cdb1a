import { parse, parseAllDocuments } from 'yaml';
import { buildInferenceConfigMap, buildInferenceWorkspace } from './inference';
import { buildTuningWorkspace } from './tuning';
import { buildRagEngine, validateRagEngine } from './ragengine';
import { validateWorkspace } from './validate';
import {
  describeWithShared,
  readReference,
} from '../__testUtils__/sharedReference';
import {
  loadCrdValidators,
  schemaErrors,
  type CrdValidators,
} from '../__testUtils__/crdSchemas';

/** v1alpha1 is the same shape with a different apiVersion. */
function asV1alpha1<T extends object>(obj: T): T {
  return { ...obj, apiVersion: 'kaito.sh/v1alpha1' };
}

describeWithShared('builders conform to the KAITO CRD schemas', () => {
  let workspace: CrdValidators;
  let ragengine: CrdValidators;
  const example = (file: string) =>
    parseAllDocuments(readReference(`examples/${file}`)).map(d => d.toJSON());

  beforeAll(() => {
    workspace = loadCrdValidators('kaito.sh_workspaces.yaml');
    ragengine = loadCrdValidators('kaito.sh_ragengines.yaml');
  });

  function expectBothVersions(ws: object) {
    expect(schemaErrors(workspace.v1beta1, ws)).toEqual([]);
    expect(schemaErrors(workspace.v1alpha1, asV1alpha1(ws))).toEqual([]);
  }

  it('compiles both Workspace versions', () => {
    expect(Object.keys(workspace).sort()).toEqual(['v1alpha1', 'v1beta1']);
  });

  it('preset: rebuilds kaito_workspace_phi_3_mini_4k.yaml exactly', () => {
    const [upstream] = example('kaito_workspace_phi_3_mini_4k.yaml');
    const built = buildInferenceWorkspace({
      name: 'workspace-phi-3-mini',
      instanceType: 'Standard_NC24ads_A100_v4',
      labelSelector: { apps: 'phi-3' },
      model: 'phi-3-mini-4k-instruct',
    });
    expect(built).toEqual(upstream);
    expectBothVersions(built);
    expect(validateWorkspace(upstream)).toEqual([]);
  });

  it('gated model: rebuilds kaito_workspace_llama-3.1_8b_instruct.yaml (v1beta1 only field)', () => {
    const [upstream] = example('kaito_workspace_llama-3.1_8b_instruct.yaml');
    const built = buildInferenceWorkspace({
      name: 'workspace-llama-3-1-8b-instruct',
      instanceType: 'Standard_NC96ads_A100_v4',
      labelSelector: { apps: 'llama-3-1-8b-instruct' },
      model: 'llama-3.1-8b-instruct',
      modelAccessSecret: 'hf-token',
    });
    expect(built).toEqual(upstream);
    expect(schemaErrors(workspace.v1beta1, built)).toEqual([]);
    expect(validateWorkspace(upstream)).toEqual([]);
    // modelAccessSecret does not exist in v1alpha1: the schema and our validator agree.
    expect(schemaErrors(workspace.v1alpha1, asV1alpha1(built)).join()).toMatch(
      /additional properties/,
    );
    expect(validateWorkspace(asV1alpha1(built)).map(i => i.field)).toEqual([
      'inference.preset.presetOptions.modelAccessSecret',
    ]);
  });

  it('custom config: rebuilds the ConfigMap and Workspace of kaito_workspace_custom_config.yaml', () => {
    const [upstreamCm, upstreamWs] = example(
      'kaito_workspace_custom_config.yaml',
    );
    const cm = buildInferenceConfigMap({
      name: 'ds-inference-params',
      maxProbeSteps: 6,
      vllm: {
        'cpu-offload-gb': 0,
        'gpu-memory-utilization': 0.95,
        'swap-space': 4,
        'max-model-len': 131072,
        'tensor-parallel-size': 2,
        'max-seq-len-to-capture': 8192,
        'num-scheduler-steps': 1,
        'enable-chunked-prefill': true,
      },
    });
    expect(cm.metadata).toEqual(upstreamCm.metadata);
    expect(parse(cm.data['inference_config.yaml'])).toEqual(
      parse(upstreamCm.data['inference_config.yaml']),
    );
    const built = buildInferenceWorkspace({
      name: 'workspace-deepseek-r1-distill-qwen-14b',
      instanceType: 'Standard_NC24ads_A100_v4',
      labelSelector: { apps: 'deepseek-r1-distill-qwen-14b' },
      model: 'deepseek-r1-distill-qwen-14b',
      config: 'ds-inference-params',
    });
    expect(built).toEqual(upstreamWs);
    expectBothVersions(built);
  });

  it('adapters: builds kaito_workspace_phi_3_with_adapters.yaml, with strength only on Transformers', () => {
    const [upstream] = example('kaito_workspace_phi_3_with_adapters.yaml');
    const common = {
      name: 'workspace-phi-3-mini-adapter',
      instanceType: 'Standard_NC24ads_A100_v4',
      labelSelector: { apps: 'phi-3-adapter' },
      model: 'phi-3-mini-128k-instruct',
    };
    const transformers = buildInferenceWorkspace({
      ...common,
      runtime: 'transformers',
      adapters: [
        {
          name: 'phi-3-adapter',
          image: 'myacr.azurecr.io/phi-3-adapter:0.0.1',
          strength: '1.0',
        },
      ],
    });
    expect(transformers.inference).toEqual({
      ...upstream.inference,
      adapters: [
        {
          ...upstream.inference.adapters[0],
          source: {
            name: 'phi-3-adapter',
            image: 'myacr.azurecr.io/phi-3-adapter:0.0.1',
          },
        },
      ],
    });
    expect(transformers.metadata.annotations).toEqual({
      'kaito.sh/runtime': 'transformers',
    });
    expectBothVersions(transformers);

    const vllm = buildInferenceWorkspace({
      ...common,
      adapters: [
        {
          name: 'phi-3-adapter',
          image: 'myacr.azurecr.io/phi-3-adapter:0.0.1',
        },
      ],
    });
    expectBothVersions(vllm);

    // The upstream example as written: strength on the default vLLM runtime and a placeholder image.
    const fields = validateWorkspace(upstream).map(i => i.field);
    expect(fields).toEqual([
      'inference.adapters[0].source.image',
      'inference.adapters[0].strength',
    ]);
  });

  it('tuning: rebuilds kaito_workspace_tuning_phi_3.yaml (with a real image reference)', () => {
    const [upstream] = example('kaito_workspace_tuning_phi_3.yaml');
    const built = buildTuningWorkspace({
      name: 'workspace-tuning-phi-3',
      instanceType: 'Standard_NC24ads_A100_v4',
      labelSelector: { app: 'tuning-phi-3' },
      model: 'phi-3-mini-128k-instruct',
      method: 'qlora',
      input: { urls: upstream.tuning.input.urls },
      output: {
        image: 'myacr.azurecr.io/phi-3-tuned:0.0.1',
        imagePushSecret: 'acr-push',
      },
    });
    expect(built).toEqual({
      ...upstream,
      tuning: {
        ...upstream.tuning,
        output: {
          image: 'myacr.azurecr.io/phi-3-tuned:0.0.1',
          imagePushSecret: 'acr-push',
        },
      },
    });
    expectBothVersions(built);
  });

  it('tuning with volumes (lora), input image and output volume', () => {
    const built = buildTuningWorkspace({
      name: 'tune-vol',
      instanceType: 'Standard_NC24ads_A100_v4',
      model: 'microsoft/phi-4',
      method: 'lora',
      config: 'my-lora-params',
      input: {
        image: 'myacr.azurecr.io/dataset:1',
        imagePullSecrets: ['acr-pull'],
      },
      output: {
        volumeSource: { persistentVolumeClaim: { claimName: 'results' } },
      },
    });
    expect(built.tuning?.output).toEqual({
      volumeSource: { persistentVolumeClaim: { claimName: 'results' } },
    });
    expectBothVersions(built);
  });

  it('flags the stale falcon tuning example the way KAITO v0.12 would', () => {
    const [upstream] = example('kaito_workspace_tuning_falcon_7b_oai.yaml');
    const fields = validateWorkspace(upstream).map(i => i.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        'tuning.preset.name',
        'resource.instanceType',
        'tuning.output.image',
      ]),
    );
    // It is still schema-valid: these are webhook rules, not schema rules.
    expect(schemaErrors(workspace.v1beta1, upstream)).toEqual([]);
  });

  it('BYO nodes: no instanceType, labelSelector only', () => {
    const built = buildInferenceWorkspace({
      name: 'byo',
      nodeAutoProvisioning: false,
      labelSelector: {
        'node.kubernetes.io/instance-type': 'Standard_NC24ads_A100_v4',
      },
      model: 'microsoft/Phi-4-mini-instruct',
      kubernetesId: 'my-component',
      disableBenchmark: true,
    });
    expect(built.resource).toEqual({
      labelSelector: {
        matchLabels: {
          'node.kubernetes.io/instance-type': 'Standard_NC24ads_A100_v4',
        },
      },
    });
    expect(built.metadata.labels).toEqual({
      'backstage.io/kubernetes-id': 'my-component',
    });
    expectBothVersions(built);
  });

  it('RAGEngine: local and remote embedding conform to v1beta1', () => {
    const local = buildRagEngine({
      name: 'ragengine-start',
      instanceType: 'Standard_NC24ads_A100_v4',
      embedding: { local: { modelID: 'BAAI/bge-small-en-v1.5' } },
      inferenceService: {
        url: 'http://workspace-phi-4-mini/v1/chat/completions',
        contextWindowSize: 131072,
      },
      storage: {
        persistentVolume: {
          persistentVolumeClaim: 'rag-data',
          mountPath: '/mnt/data',
        },
      },
      kubernetesId: 'rag',
    });
    expect(schemaErrors(ragengine.v1beta1, local)).toEqual([]);
    const remote = buildRagEngine({
      name: 'rag-remote',
      embedding: {
        remote: {
          url: 'https://embeddings.example.com/v1',
          accessSecret: 'emb-key',
        },
      },
      guardrails: {
        enabled: true,
        configMapRef: { name: 'ragengine-guardrails-policy-template' },
      },
    });
    expect(schemaErrors(ragengine.v1beta1, remote)).toEqual([]);
    expect(remote.spec.compute).toBeUndefined();
    expect(validateRagEngine(remote)).toEqual([]);
  });
});
