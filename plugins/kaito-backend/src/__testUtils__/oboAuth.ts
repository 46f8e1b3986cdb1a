import {
  AuthService,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';

/**
 * The mock auth service, except that a token requested on behalf of a user
 * carries the calling plugin as the actor, as real on-behalf-of tokens do.
 * The permission backend needs that to have a catalog conditional decision
 * applied (the catalog's apply-conditions endpoint refuses a user token
 * without an actor), so per-entity policies can be tested end to end.
 */
export const oboAuthServiceFactory = createServiceFactory({
  service: coreServices.auth,
  deps: { plugin: coreServices.pluginMetadata },
  factory({ plugin }): AuthService {
    const pluginId = plugin.getId();
    const inner = mockServices.auth({ pluginId });
    return {
      authenticate: (token, options) => inner.authenticate(token, options),
      getNoneCredentials: () => inner.getNoneCredentials(),
      getOwnServiceCredentials: () => inner.getOwnServiceCredentials(),
      isPrincipal: inner.isPrincipal.bind(inner) as AuthService['isPrincipal'],
      getLimitedUserToken: credentials =>
        inner.getLimitedUserToken(credentials),
      listPublicServiceKeys: () => inner.listPublicServiceKeys(),
      async getPluginRequestToken(options) {
        const principal = options.onBehalfOf.principal as {
          type: string;
          userEntityRef?: string;
          actor?: { subject: string };
        };
        if (principal.type !== 'user')
          return inner.getPluginRequestToken(options);
        const actor = principal.actor ?? { subject: `plugin:${pluginId}` };
        return {
          token: `mock-user-token:${JSON.stringify({
            sub: principal.userEntityRef,
            actor,
          })}`,
        };
      },
    };
  },
});
