import { webhookDenialCauses } from './kubeApi';

describe('webhookDenialCauses', () => {
  const denied = (text: string) =>
    `admission webhook "validation.workspace.kaito.sh" denied the request: validation failed: ${text}`;

  it("reads KAITO's webhook denial (knative FieldError lines) as one cause per field", () => {
    expect(
      webhookDenialCauses(
        denied(
          'invalid value: instanceType must be empty when node auto-provisioning is disabled (BYO scenario): resource.instanceType\n' +
            'Unsupported preset: x, y: inference.preset.name, tuning.preset.name\n' +
            'Either Inference or Tuning must be specified, not neither',
        ),
      ),
    ).toEqual([
      {
        field: 'resource.instanceType',
        message:
          'invalid value: instanceType must be empty when node auto-provisioning is disabled (BYO scenario)',
      },
      { field: 'inference.preset.name', message: 'Unsupported preset: x, y' },
      { field: 'tuning.preset.name', message: 'Unsupported preset: x, y' },
      { message: 'Either Inference or Tuning must be specified, not neither' },
    ]);
  });

  it('finds nothing in other errors', () => {
    expect(
      webhookDenialCauses('workspaces.kaito.sh "x" already exists'),
    ).toEqual([]);
  });
});
