import { component } from './entities';
import { KaitoTestBackend, startKaitoTestBackend } from './backend';
import { ScriptedUpstream } from './ScriptedUpstream';

/** kaito-backend relaying chats to a scripted model server. */
export interface ScriptedRelay {
  /** The model server; script each target with `upstream.scripts.set`. */
  upstream: ScriptedUpstream;
  kb: KaitoTestBackend;
  /** The backend's base URL, for raw HTTP callers. */
  base: string;
  /** Stops the backend, then the model server. */
  stop(): Promise<void>;
}

/**
 * Starts a scripted model server and kaito-backend with one external
 * target (model `scripted`) and one catalog component per name in
 * `targets`, under the chat `limits` given.
 */
export async function startScriptedRelay(options: {
  targets: string[];
  limits: Record<string, unknown>;
  extraFeatures?: any[];
}): Promise<ScriptedRelay> {
  const upstream = await ScriptedUpstream.start();
  const kb = await startKaitoTestBackend({
    config: {
      kubernetes: { clusterLocatorMethods: [] },
      kaito: {
        externalTargets: options.targets.map(name => ({
          name,
          baseUrl: upstream.baseUrl(name),
          model: 'scripted',
        })),
        limits: options.limits,
      },
    },
    entities: options.targets.map(name =>
      component(name, { 'kaito.sh/external-target': name }),
    ),
    extraFeatures: options.extraFeatures,
  }).catch(async e => {
    await upstream.stop();
    throw e;
  });
  const { port } = kb.server.address() as { port: number };
  return {
    upstream,
    kb,
    base: `http://127.0.0.1:${port}`,
    stop: async () => {
      await kb.stop();
      await upstream.stop();
    },
  };
}
