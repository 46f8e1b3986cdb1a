/**
 * ARM-shaped errors. Every failure the simulator reports, whatever its cause,
 * leaves the server as `{ error: { code, message } }` with a 4xx/5xx status,
 * the envelope the Azure SDKs turn into a `RestError` with `.code`.
 */
export class ArmError extends Error {
  readonly name = 'ArmError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
    readonly target?: string,
  ) {
    super(message);
  }

  toBody(): { error: { code: string; message: string; target?: string } } {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.target ? { target: this.target } : {}),
      },
    };
  }
}

/** 400 for a request body that is not the JSON the operation expects. */
export function invalidRequestContent(detail: string): ArmError {
  return new ArmError(
    400,
    'InvalidRequestContent',
    `The request content was invalid and could not be deserialized: ${detail}`,
  );
}

/** AKS's own 400 for a semantically wrong property, naming the property. */
export function invalidParameter(target: string, message: string): ArmError {
  return new ArmError(400, 'InvalidParameter', message, {}, target);
}

export function resourceNotFound(
  resourceType: string,
  name: string,
  resourceGroup: string,
): ArmError {
  return new ArmError(
    404,
    'ResourceNotFound',
    `The Resource '${resourceType}/${name}' under resource group '${resourceGroup}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
  );
}

/** Turns anything thrown by a handler into an ARM error without leaking a stack. */
export function toArmError(error: unknown): ArmError {
  if (error instanceof ArmError) {
    return error;
  }
  return new ArmError(
    500,
    'InternalServerError',
    'The ARM simulator hit an unexpected error while handling the request; see the simulator log.',
  );
}
