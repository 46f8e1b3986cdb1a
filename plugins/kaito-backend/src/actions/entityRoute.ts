import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { CompoundEntityRef } from '@backstage/catalog-model';
import { KaitoActionDeps } from './deps';

/**
 * POSTs a JSON body to one of the plugin's own entity routes
 * (`/entity/:kind/:namespace/:name/<route>`) with a token issued on behalf of
 * the caller, so the route's permission check, limits, audit event and
 * metrics apply to the action exactly as to the UI. Returns the response and
 * its JSON body (undefined when it has none).
 */
export async function postEntityRoute(
  deps: Pick<KaitoActionDeps, 'auth' | 'discovery'>,
  credentials: BackstageCredentials,
  ref: CompoundEntityRef,
  route: string,
  body: unknown,
): Promise<{ res: Response; body: any }> {
  const base = await deps.discovery.getBaseUrl('kaito');
  const { token } = await deps.auth.getPluginRequestToken({
    onBehalfOf: credentials,
    targetPluginId: 'kaito',
  });
  const path = [ref.kind, ref.namespace, ref.name]
    .map(encodeURIComponent)
    .join('/');
  const res = await fetch(`${base}/entity/${path}/${route}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify(body),
  });
  return { res, body: await res.json().catch(() => undefined) };
}
