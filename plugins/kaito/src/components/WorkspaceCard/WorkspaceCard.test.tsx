import type {
  FailureKind,
  ReadinessPhase,
} from '@kaito-backstage/plugin-kaito-common';
import { fireEvent, screen, within } from '@testing-library/react';
import { PHASE_LABELS } from '../shared/PhaseStatus';
import { inferenceSteps } from '../../__testUtils__/workspaceFixtures';
import { renderLive } from '../../__testUtils__/renderWorkspaceCard';

// Rendering the whole card with MUI is slow on the shared, loaded CI machine.
jest.setTimeout(60_000);

describe('EntityKaitoWorkspaceCard', () => {
  it('streams the readiness of the entity named by the annotation', async () => {
    const api = await renderLive();
    expect(api.streams[0].entityRef).toBe('resource:default/phi-4-mini');
    expect(screen.getByTestId('kaito-connection')).toHaveTextContent('Live');
  });

  const phases: Array<[ReadinessPhase, string, string]> = [
    [
      'Pending',
      'created',
      'Waiting for the KAITO controller to pick the Workspace up.',
    ],
    [
      'ProvisioningNodes',
      'nodes',
      'Provisioning 1 × Standard_NC24ads_A100_v4.',
    ],
    [
      'DownloadingWeights',
      'weights',
      'Pulling the image and downloading the weights.',
    ],
    [
      'StartingInference',
      'inference',
      'Starting the vLLM server; the model is loading.',
    ],
    ['Ready', 'ready', 'phi-4-mini-instruct is ready for chat.'],
  ];
  const NODES_STEP_TEXT: Partial<Record<ReadinessPhase, RegExp>> = {
    Pending: /\(waiting\)/,
    ProvisioningNodes: /\(in progress, running \d/,
    DownloadingWeights: /\(done, took 1m 00s\)/,
    StartingInference: /\(done, took 1m 00s\)/,
    Ready: /\(done, took 1m 00s\)/,
  };
  it.each(phases)(
    'shows phase %s with its reason and the step timeline',
    async (phase, activeStep, reason) => {
      await renderLive(
        {},
        {
          phase,
          reason,
          steps: inferenceSteps(
            activeStep,
            phase === 'Ready' ? 'done' : 'active',
          ),
        },
      );
      expect(screen.getByTestId('kaito-phase')).toHaveTextContent(
        PHASE_LABELS[phase],
      );
      expect(screen.getByTestId('kaito-reason')).toHaveTextContent(reason);
      const step = screen.getByTestId(`kaito-step-${activeStep}`);
      expect(step).toHaveAttribute(
        'data-status',
        phase === 'Ready' ? 'done' : 'active',
      );
      // Finished steps say how long they took; the active one how long it runs.
      expect(screen.getByTestId('kaito-step-nodes')).toHaveTextContent(
        NODES_STEP_TEXT[phase]!,
      );
    },
  );

  it('shows a degraded Workspace as a warning with the step at fault', async () => {
    const steps = inferenceSteps('ready', 'warning');
    steps[3] = { ...steps[3], status: 'warning', detail: 'restarted 4 times' };
    await renderLive(
      {},
      {
        phase: 'Degraded',
        outcome: 'retrying',
        attempts: 4,
        reason:
          'KAITO reports the Workspace ready, but the inference container keeps crashing after 4 restarts; read the logs of phi-4-mini-0 for the cause.',
        steps,
      },
    );
    expect(screen.getByTestId('kaito-phase')).toHaveTextContent('Degraded');
    expect(
      screen.getByText('KAITO retries on its own (attempt 4)'),
    ).toBeInTheDocument();
    expect(screen.getByTestId('kaito-step-inference')).toHaveTextContent(
      'restarted 4 times',
    );
  });

  const failures: Array<
    [FailureKind, 'terminal' | 'retrying', string, string]
  > = [
    [
      'quota',
      'terminal',
      'GPU nodes cannot be created because the Azure quota is exhausted',
      'request more quota for the NCADS_A100_v4 family in that region, or choose another instance type.',
    ],
    [
      'provisioning',
      'retrying',
      'GPU node provisioning failed',
      "check the NodeClaims and the node provisioner's permissions, or choose another instance type.",
    ],
    [
      'gatedModel',
      'terminal',
      'llama-3.1-8b-instruct is a gated Hugging Face model and the download was refused',
      'create a Secret with key HF_TOKEN and set inference.preset.presetOptions.modelAccessSecret to it.',
    ],
    [
      'oom',
      'terminal',
      'the inference container was killed for running out of memory after 3 restarts',
      'choose a larger instance type or lower vllm max-model-len.',
    ],
    [
      'imagePull',
      'terminal',
      'an image cannot be pulled',
      'check the image name and tag and that imagePullSecrets grant access to the registry.',
    ],
    [
      'crashLoop',
      'retrying',
      'the inference container keeps crashing after 2 restarts',
      'read the logs of phi-4-mini-0 for the cause.',
    ],
    [
      'tuningFailed',
      'terminal',
      'The tuning job failed',
      "read the tuning pod's logs, then recreate the Workspace.",
    ],
    [
      'reconcile',
      'terminal',
      'the KAITO controller cannot reconcile the Workspace',
      'fix the Workspace accordingly and recreate it.',
    ],
  ];
  it.each(failures)(
    "explains a %s failure (%s) with its fix and KAITO's own words",
    async (cause, outcome, what, fix) => {
      await renderLive(
        {},
        {
          phase: 'Failed',
          outcome,
          cause,
          attempts: outcome === 'retrying' ? 3 : undefined,
          reason: `${what}.`,
          fix,
          kaitoMessage: {
            source: 'condition ResourceReady (NodeClaimCreationFailed)',
            // kaito-common ends a cut message with "…" itself (readiness/text.ts).
            text: `${cause}: verbatim controller text…`,
            truncated: true,
          },
          steps: inferenceSteps('nodes', 'failed'),
        },
      );
      expect(screen.getByTestId('kaito-phase')).toHaveTextContent('Failed');
      const reason = screen.getByTestId('kaito-reason');
      expect(reason).toHaveTextContent(what);
      expect(reason).toHaveTextContent(`Fix: ${fix}`);
      expect(
        screen.getByText(
          outcome === 'terminal'
            ? 'Needs your action'
            : 'KAITO retries on its own (attempt 3)',
        ),
      ).toBeInTheDocument();
      expect(
        screen.getByText(
          `KAITO says (condition ResourceReady (NodeClaimCreationFailed)): “${cause}: verbatim controller text…”`,
        ),
      ).toBeInTheDocument();
      expect(screen.getByTestId('kaito-step-nodes')).toHaveAttribute(
        'data-status',
        'failed',
      );
    },
  );

  it('does not repeat a fix that the reason already ends with', async () => {
    await renderLive(
      {},
      {
        phase: 'Failed',
        reason: 'The image cannot be pulled; check the image name.',
        fix: 'check the image name.',
      },
    );
    expect(screen.getByTestId('kaito-reason')).not.toHaveTextContent('Fix:');
  });

  it('shows the tuning steps and a finished tuning job', async () => {
    await renderLive(
      {},
      {
        phase: 'Succeeded',
        mode: 'tuning',
        reason: 'The tuning job finished and pushed the adapter.',
        steps: [
          { id: 'created', title: 'Workspace created', status: 'done' },
          {
            id: 'nodes',
            title: 'Provision 1 × Standard_NC6s_v3',
            status: 'done',
          },
          { id: 'job', title: 'Start tuning job', status: 'done' },
          { id: 'tuning', title: 'Tune with qlora', status: 'done' },
          { id: 'succeeded', title: 'Push result', status: 'done' },
        ],
      },
    );
    expect(screen.getByTestId('kaito-phase')).toHaveTextContent('Succeeded');
    expect(screen.getByTestId('kaito-step-tuning')).toHaveTextContent(
      'Tune with qlora',
    );
    // A tuning Workspace serves nothing: no endpoint snippet.
    expect(screen.queryByTestId('kaito-endpoint')).not.toBeInTheDocument();
  });

  it('shows time in phase against the typical time, and the KAITO version note', async () => {
    await renderLive(
      {},
      {
        timing: {
          since: '2026-01-01T10:00:00Z',
          seconds: 1500,
          typicalSeconds: { min: 300, max: 900 },
          slow: true,
        },
        kaitoVersion: {
          careful: true,
          basis: [],
          note: 'KAITO version unknown; reading the status carefully',
        },
      },
    );
    expect(
      screen.getByText(
        '25m 00s in this phase; usually 5m 00s–15m 00s (slower than usual)',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('KAITO version unknown; reading the status carefully'),
    ).toBeInTheDocument();
  });

  it('shows weights download progress when a percentage is known', async () => {
    const steps = inferenceSteps('weights');
    steps[2] = { ...steps[2], detail: 'Model download in progress (42%)' };
    await renderLive({}, { phase: 'DownloadingWeights', steps });
    const bar = screen.getByRole('progressbar', {
      name: 'Downloading weights, 42%',
    });
    expect(bar).toHaveAttribute('aria-valuenow', '42');
  });

  it('shows the model facts, engine, quantization and KAITO benchmark when status has them', async () => {
    await renderLive(
      {
        workspace: {
          apiVersion: 'kaito.sh/v1beta1',
          runtime: 'vllm',
          preset: 'phi-4-mini-instruct',
          instanceType: 'Standard_NC24ads_A100_v4',
          targetNodeCount: 1,
          workerNodes: ['aks-ws-1'],
          deleting: false,
          performance: {
            metrics: {
              peakTokensPerMinute: {
                description: 'Peak output tokens per minute',
                value: '123456',
                unit: 'tokens/min',
                config: {
                  engine: 'vllm',
                  engineVersion: '0.25.1',
                  quantization: 'fp8',
                },
              },
            },
          },
        },
      },
      {
        phase: 'Ready',
        reason: 'Ready.',
        steps: inferenceSteps('ready', 'done'),
        kaitoVersion: {
          version: '0.12.0',
          basis: [],
          careful: false,
          note: '',
        },
      },
    );
    expect(screen.getByTestId('kaito-fact-model')).toHaveTextContent(
      'phi-4-mini-instruct',
    );
    expect(screen.getByText('vllm 0.25.1')).toBeInTheDocument();
    expect(screen.getByText('fp8')).toBeInTheDocument();
    expect(screen.getByText('0.12.0')).toBeInTheDocument();
    expect(screen.getByText('kaito-simulator')).toBeInTheDocument();
    expect(screen.getByText('kaito-demo/phi-4-mini')).toBeInTheDocument();
    const perf = screen.getByTestId('kaito-performance');
    expect(perf).toHaveTextContent('Peak output tokens per minute');
    expect(perf).toHaveTextContent('123,456 tokens/min');
  });

  it('offers curl and OpenAI SDK snippets through the portal', async () => {
    await renderLive(
      {},
      { phase: 'Ready', steps: inferenceSteps('ready', 'done') },
    );
    const endpoint = await screen.findByTestId('kaito-endpoint');
    expect(endpoint).toHaveTextContent(
      'curl -N "http://portal.test/api/kaito/entity/resource/default/phi-4-mini/chat/completions"',
    );
    expect(
      within(endpoint).getByRole('button', { name: /copy/i }),
    ).toBeInTheDocument();
    fireEvent.click(
      within(endpoint).getByRole('tab', { name: 'OpenAI SDK (Python)' }),
    );
    expect(endpoint).toHaveTextContent(
      'base_url="http://portal.test/api/kaito/entity/resource/default/phi-4-mini"',
    );
    expect(endpoint).toHaveTextContent('model="phi-4-mini-instruct"');
  });

  it('keeps the raw conditions and the container log in an expandable section', async () => {
    await renderLive(
      {},
      {
        phase: 'Failed',
        containerLog: {
          pod: 'phi-4-mini-0',
          container: 'phi-4-mini',
          lines: ['torch.OutOfMemoryError: CUDA out of memory.'],
          cause: 'oom',
          causeText: 'CUDA ran out of GPU memory',
        },
      },
    );
    expect(
      screen.queryByRole('table', { name: 'Workspace conditions' }),
    ).not.toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: /Conditions \(1\)/ }));
    const table = await screen.findByRole('table', {
      name: 'Workspace conditions',
    });
    expect(table).toHaveTextContent('ResourceReady');
    expect(table).toHaveTextContent('NodeClaimNotReady');
    expect(screen.getByTestId('kaito-container-log')).toHaveTextContent(
      'torch.OutOfMemoryError: CUDA out of memory.',
    );
  });
});
