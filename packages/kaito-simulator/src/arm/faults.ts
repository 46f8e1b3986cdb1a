import { ArmResponse } from './types';

/** A response to return instead of handling the next matching request(s). */
export interface InjectedArmFault {
  /** e.g. 429, 500, 503. */
  status: number;
  code?: string;
  message?: string;
  /** Sent as `Retry-After` (seconds). */
  retryAfterSeconds?: number;
  /** Only requests with this method (GET, PUT, ...). */
  method?: string;
  /** Only requests whose path contains this text (case-insensitive). */
  pathIncludes?: string;
  /** How many requests get it. Default 1. */
  times?: number;
}

/** Makes the next create/update operation of a cluster end `Failed`. */
export interface InjectedOperationFailure {
  code: string;
  message: string;
  /** Only this cluster (name, case-insensitive); default any. */
  clusterName?: string;
}

/**
 * Scripted ARM faults for tests: transient 429/5xx answers and failed
 * long-running operations, each consumed once (or `times`).
 */
export class ArmFaults {
  readonly #requests: Array<InjectedArmFault & { left: number }> = [];
  readonly #operations: InjectedOperationFailure[] = [];

  inject(fault: InjectedArmFault): void {
    if (
      !Number.isInteger(fault.status) ||
      fault.status < 400 ||
      fault.status > 599
    ) {
      throw new Error(`ARM fault status must be 400-599, got ${fault.status}`);
    }
    this.#requests.push({ ...fault, left: fault.times ?? 1 });
  }

  failNextOperation(failure: InjectedOperationFailure): void {
    this.#operations.push(failure);
  }

  /** The injected answer for this request, if one is due. */
  take(method: string, path: string): ArmResponse | undefined {
    const i = this.#requests.findIndex(
      f =>
        (!f.method || f.method.toUpperCase() === method) &&
        (!f.pathIncludes ||
          path.toLowerCase().includes(f.pathIncludes.toLowerCase())),
    );
    if (i < 0) return undefined;
    const f = this.#requests[i];
    f.left -= 1;
    if (f.left <= 0) this.#requests.splice(i, 1);
    let code = f.code;
    if (!code && f.status === 429) code = 'TooManyRequests';
    if (!code) code = f.status >= 500 ? 'InternalServerError' : 'BadRequest';
    return {
      status: f.status,
      body: {
        error: {
          code,
          message:
            f.message ??
            (f.status === 429
              ? 'The request is being throttled; retry after the interval in Retry-After.'
              : 'The server encountered a transient error (injected by the simulator). Retry the request.'),
        },
      },
      headers:
        f.retryAfterSeconds !== undefined
          ? { 'retry-after': String(f.retryAfterSeconds) }
          : {},
    };
  }

  /** A failure scripted for this cluster's operation, consumed. */
  takeOperationFailure(clusterName: string) {
    const i = this.#operations.findIndex(
      f =>
        !f.clusterName ||
        f.clusterName.toLowerCase() === clusterName.toLowerCase(),
    );
    return i < 0 ? undefined : this.#operations.splice(i, 1)[0];
  }
}
