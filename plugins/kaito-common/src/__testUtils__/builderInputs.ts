import { KaitoValidationError } from '../errors';

/** The issues a builder throws, as "field: message"; fails when it does not throw. */
export function issuesOf(build: () => unknown): string[] {
  try {
    build();
  } catch (e) {
    if (e instanceof KaitoValidationError)
      return e.issues.map(i => `${i.field}: ${i.message}`);
    throw e;
  }
  throw new Error('the builder did not throw');
}

/** A minimal valid inference build input. */
export const INFERENCE_INPUT = {
  name: 'phi',
  instanceType: 'Standard_NC24ads_A100_v4',
  model: 'phi-4-mini-instruct',
};

/** A minimal valid QLoRA tuning build input. */
export const TUNING_INPUT = {
  name: 'tune-phi',
  instanceType: 'Standard_NC24ads_A100_v4',
  model: 'phi-3-mini-4k-instruct',
  method: 'qlora' as const,
  input: { urls: ['https://example.com/data.parquet'] },
  output: {
    image: 'registry.example.com/adapters/phi:1',
    imagePushSecret: 'push',
  },
};
