import { NotFoundError } from '@backstage/errors';
import type { KaitoClusters } from '@kaito-backstage/plugin-kaito-node';
import { dns1123LabelProblem } from '@kaito-backstage/plugin-kaito-common';
import { fieldError } from './errors';
import { KubeApi } from './kubeApi';
import { registerByName } from './managedClusters';

/**
 * The cluster an input names, from the shared registry (config, catalog or
 * registered at run time by kaito:aks:create). Fails naming the field.
 */
export async function clusterApi(
  clusters: KaitoClusters,
  name: string,
  field = 'cluster',
  signal?: AbortSignal,
): Promise<KubeApi> {
  try {
    const details = await clusters.registry.getConnectionDetails(name);
    return new KubeApi(clusters.clients.forDetails(details));
  } catch (error) {
    if (error instanceof NotFoundError) {
      // An AKS cluster an earlier step created (e.g. before a restart).
      if (await registerByName(clusters, name, signal)) {
        const details = await clusters.registry.getConnectionDetails(name);
        return new KubeApi(clusters.clients.forDetails(details));
      }
      throw fieldError(field, error.message);
    }
    throw error;
  }
}

/** Checks a namespace / object name is a DNS-1123 label, naming the field. */
export function checkLabel(field: string, value: string) {
  const problem = dns1123LabelProblem(value);
  if (problem) throw fieldError(field, `'${value}' ${problem}`);
}

/** Parses "<namespace>/<name>", naming the field when malformed. */
export function parseWorkspaceInput(
  value: string,
  field = 'workspace',
): { namespace: string; name: string } {
  const parts = value.trim().split('/');
  if (parts.length !== 2) {
    throw fieldError(
      field,
      `'${value}' must be "<namespace>/<name>", e.g. "default/workspace-phi-4"`,
    );
  }
  checkLabel(`${field} namespace`, parts[0]);
  checkLabel(`${field} name`, parts[1]);
  return { namespace: parts[0], name: parts[1] };
}
