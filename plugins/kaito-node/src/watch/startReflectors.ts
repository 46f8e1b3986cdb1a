import { LoggerService } from '@backstage/backend-plugin-api';
import {
  KAITO_GROUP,
  KAITO_WORKSPACE_LABEL,
  WORKSPACE_PLURAL,
} from '@kaito-backstage/plugin-kaito-common';
import { KubernetesClient } from '../kubernetes/KubernetesClient';
import type { WatchSettings } from './ClusterWorkspaceCache';
import { Reflector, ReflectorHandlers } from './Reflector';

/** Where each watched resource's lists and events go. */
export interface ReflectorTargets {
  workspaces: ReflectorHandlers;
  pods: ReflectorHandlers;
  nodeClaims: ReflectorHandlers;
  events: ReflectorHandlers;
}

/**
 * Starts one reflector per resource the settings ask for: Workspaces in the
 * served version, KAITO-labelled pods and NodeClaims, and Events. Returns
 * them by id, and those the cache waits for before it counts as synced.
 */
export function startReflectors(opts: {
  client: KubernetesClient;
  logger: LoggerService;
  settings: WatchSettings;
  version: string;
  targets: ReflectorTargets;
}): { watches: Record<string, Reflector>; gating: Reflector[] } {
  const { settings, targets } = opts;
  const common = {
    client: opts.client,
    logger: opts.logger,
    watchTimeoutSeconds: settings.watchTimeoutSeconds,
    backoffMs: settings.backoffMs,
  };
  const watches: Record<string, Reflector> = {};
  const gating: Reflector[] = [];
  const add = (
    id: keyof ReflectorTargets,
    where: { path: string; labelSelector?: string; fieldSelector?: string },
    gate: boolean,
    optional = false,
  ) => {
    const watch = new Reflector({ ...common, ...where, optional }, targets[id]);
    watches[id] = watch;
    if (gate) gating.push(watch);
    watch.start();
  };
  add(
    'workspaces',
    { path: `/apis/${KAITO_GROUP}/${opts.version}/${WORKSPACE_PLURAL}` },
    true,
  );
  if (settings.pods) {
    add(
      'pods',
      { path: '/api/v1/pods', labelSelector: KAITO_WORKSPACE_LABEL },
      true,
    );
  }
  if (settings.nodeClaims) {
    add(
      'nodeClaims',
      {
        path: '/apis/karpenter.sh/v1/nodeclaims',
        labelSelector: KAITO_WORKSPACE_LABEL,
      },
      // No Karpenter (BYO nodes) is normal: readiness must not wait for it.
      false,
      true,
    );
  }
  if (settings.events !== 'none') {
    add(
      'events',
      {
        path: '/api/v1/events',
        fieldSelector:
          settings.events === 'warnings' ? 'type=Warning' : undefined,
      },
      false,
    );
  }
  return { watches, gating };
}
