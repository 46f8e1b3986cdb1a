import { BackendFeature } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import type { JsonObject } from '@backstage/types';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import request from 'supertest';
import kaitoModule from '../index';
import { stringify } from 'yaml';

/** The real scaffolder backend with this module, on the given config. */
export async function startScaffolder(
  config: object,
  extraFeatures: BackendFeature[] = [],
) {
  const backend = await startTestBackend({
    features: [
      scaffolderPlugin,
      kaitoModule,
      mockServices.rootConfig.factory({ data: config as JsonObject }),
      ...extraFeatures,
    ],
  });
  const auth = mockCredentials.user.header('user:default/mock');
  return {
    backend,
    post: (path: string, body: unknown) =>
      request(backend.server)
        .post(path)
        .set('authorization', auth)
        .send(body as object),
    get: (path: string) =>
      request(backend.server).get(path).set('authorization', auth),
    stop: () => backend.stop(),
  };
}

/** A template entity with the given steps and output. */
export function template(steps: object[], output: Record<string, string> = {}) {
  return {
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: { name: 'kaito-test', namespace: 'default' },
    spec: {
      owner: 'group:default/ml',
      type: 'service',
      parameters: [],
      steps,
      output,
    },
  };
}

export { stringify };
