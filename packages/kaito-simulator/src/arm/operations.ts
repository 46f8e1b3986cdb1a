import { randomUUID } from 'node:crypto';
import { ArmError } from './errors';

export type OperationStatus = 'InProgress' | 'Succeeded' | 'Failed';

export interface OperationRecord {
  id: string;
  location: string;
  status: OperationStatus;
  startTime: string;
  endTime?: string;
  error?: { code: string; message: string };
}

/**
 * Long-running operations as AKS reports them: the `Azure-AsyncOperation`
 * URL of a PUT points at one of these, polled until a terminal status.
 */
export class OperationStore {
  private readonly operations = new Map<string, OperationRecord>();

  start(location: string): OperationRecord {
    const operation: OperationRecord = {
      id: randomUUID(),
      location,
      status: 'InProgress',
      startTime: new Date().toISOString(),
    };
    this.operations.set(operation.id, operation);
    return operation;
  }

  finish(id: string, error?: { code: string; message: string }): void {
    const operation = this.operations.get(id);
    if (!operation) {
      return;
    }
    operation.status = error ? 'Failed' : 'Succeeded';
    operation.endTime = new Date().toISOString();
    operation.error = error;
  }

  /** Path (below the ARM root) a client polls for `operation`. */
  static path(subscriptionId: string, operation: OperationRecord): string {
    return `/subscriptions/${subscriptionId}/providers/Microsoft.ContainerService/locations/${operation.location}/operations/${operation.id}`;
  }

  /** The operation-status body, or 404 for an unknown id. */
  status(id: string, location: string): Record<string, unknown> {
    const operation = this.operations.get(id.toLowerCase());
    if (!operation || operation.location !== location) {
      throw new ArmError(
        404,
        'NotFound',
        `Operation '${id}' was not found in location '${location}'. Poll the exact Azure-AsyncOperation URL the PUT returned.`,
      );
    }
    return {
      name: operation.id,
      status: operation.status,
      startTime: operation.startTime,
      ...(operation.endTime ? { endTime: operation.endTime } : {}),
      ...(operation.error ? { error: operation.error } : {}),
    };
  }
}
