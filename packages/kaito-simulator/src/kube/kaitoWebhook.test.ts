import { fieldErrorText, webhookDenied } from './kaitoWebhook';

describe("KAITO's webhook refusal text", () => {
  it("is knative's FieldError.Error(): one line per message, equal messages merged with their paths, sorted as knative's merge() sorts", () => {
    expect(
      fieldErrorText([
        { field: 'resource.instanceType', message: 'invalid value: X' },
        { field: 'inference.adapters', message: 'too many adapters' },
        { field: 'resource.count', message: 'invalid value: X' },
        { field: '', message: 'Either Inference or Tuning must be specified' },
      ]),
    ).toBe(
      'Either Inference or Tuning must be specified\ninvalid value: X: resource.count, resource.instanceType\ntoo many adapters: inference.adapters',
    );
  });

  it('is relayed as a 400 BadRequest without details, prefixed with the webhook name', () => {
    expect(
      webhookDenied('validation.workspace.kaito.sh', [
        { field: 'resource.instanceType', message: 'must be set' },
      ]).status,
    ).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'admission webhook "validation.workspace.kaito.sh" denied the request: validation failed: must be set: resource.instanceType',
      reason: 'BadRequest',
      code: 400,
    });
  });
});
