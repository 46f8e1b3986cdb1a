import { Config } from '@backstage/config';
import { ClusterConnectionDetails } from './types';

/** One entry of `kubernetes.clusterLocatorMethods`, as kaito-node understands it. */
export type ClusterLocatorMethod =
  | { type: 'config'; clusters: ClusterConnectionDetails[] }
  | {
      type: 'catalog';
      dangerouslyAllowClusterUrls?: string[];
      dangerouslyAllowSkipTLSVerify?: boolean;
    }
  | { type: 'localKubectlProxy' }
  | { type: 'unsupported'; name: string };

/**
 * Reads the Kubernetes plugin's own `kubernetes.clusterLocatorMethods`, so a
 * platform team configures clusters once. Throws on contradictory config
 * (duplicate names, missing auth provider) like the Kubernetes plugin does.
 */
export function readClusterLocators(config: Config): ClusterLocatorMethod[] {
  const methods =
    config.getOptionalConfigArray('kubernetes.clusterLocatorMethods') ?? [];
  const names = new Set<string>();
  return methods.map((method, index): ClusterLocatorMethod => {
    const type = method.getString('type');
    switch (type) {
      case 'config':
        return {
          type,
          clusters: (method.getOptionalConfigArray('clusters') ?? []).map(c => {
            const name = c.getString('name');
            if (names.has(name)) {
              throw new Error(
                `Duplicate cluster name '${name}' in kubernetes.clusterLocatorMethods[${index}]`,
              );
            }
            names.add(name);
            const authMetadata = c.getOptionalConfig('authMetadata');
            const authProvider =
              authMetadata?.getOptionalString('kubernetes.io/auth-provider') ??
              c.getOptionalString('authProvider');
            if (!authProvider) {
              throw new Error(
                `Cluster '${name}' has no authProvider; set kubernetes.clusterLocatorMethods[${index}].clusters[].authProvider to serviceAccount, azure or localKubectlProxy`,
              );
            }
            const url = c.getString('url').replace(/\/+$/, '');
            if (!URL.canParse(url)) {
              throw new Error(`Cluster '${name}' has an invalid url`);
            }
            return {
              name,
              title: c.getOptionalString('title'),
              url,
              authProvider,
              skipTLSVerify: c.getOptionalBoolean('skipTLSVerify') ?? false,
              source: 'config',
              serviceAccountToken:
                c.getOptionalString('serviceAccountToken') ??
                authMetadata?.getOptionalString('serviceAccountToken'),
              caData: c.getOptionalString('caData'),
              caFile: c.getOptionalString('caFile'),
            };
          }),
        };
      case 'catalog':
        return {
          type,
          dangerouslyAllowClusterUrls: method.getOptionalStringArray(
            'dangerouslyAllowClusterUrls',
          ),
          dangerouslyAllowSkipTLSVerify: method.getOptionalBoolean(
            'dangerouslyAllowSkipTLSVerify',
          ),
        };
      case 'localKubectlProxy':
        return { type };
      default:
        return { type: 'unsupported', name: type };
    }
  });
}
