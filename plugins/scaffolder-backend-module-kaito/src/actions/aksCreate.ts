import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import type { KaitoClusters } from '@kaito-backstage/plugin-kaito-node';
import { registerManagedCluster } from '../lib/managedClusters';
import {
  AksInput,
  buildManagedCluster,
  checkAksInput,
  DEFAULT_SYSTEM_POOL_VM_SIZE,
  managedClusterId,
} from '../lib/aksBody';
import { normalizeLocation, requireAzure } from '../lib/azure';
import { azureErrorText, throwIfAborted } from '../lib/errors';
import { examples } from './aksCreate.examples';
import { provisionSelfInstalledKaitoIdentity } from '../lib/kaitoIdentity';
import { runClusterLro } from '../lib/aksLro';

/**
 * `kaito:aks:create`: creates (or updates) an AKS cluster with the KAITO
 * add-on and the OIDC issuer through `@azure/arm-containerservice`, logs the
 * long-running operation, and registers the cluster with the shared KAITO
 * cluster registry so the next steps (and the readiness card) reach it.
 */
export function createAksCreateAction(deps: { clusters: KaitoClusters }) {
  return createTemplateAction({
    id: 'kaito:aks:create',
    description:
      'Creates or updates an AKS cluster with the KAITO add-on (AI toolchain operator) and OIDC issuer, and registers it for the next steps',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        subscriptionId: z =>
          z.string().optional().describe('Default: kaito.azure.subscriptionId'),
        resourceGroup: z => z.string().min(1),
        createResourceGroup: z =>
          z
            .boolean()
            .optional()
            .describe('Create the resource group when missing (default false)'),
        location: z => z.string().min(1).describe('Azure region, e.g. eastus'),
        name: z => z.string().min(1).describe('AKS cluster name'),
        kubernetesVersion: z =>
          z.string().optional().describe("Default: AKS's default version"),
        systemPoolVmSize: z =>
          z
            .string()
            .optional()
            .describe(`Default ${DEFAULT_SYSTEM_POOL_VM_SIZE}`),
        systemPoolCount: z =>
          z.number().int().min(1).max(1000).optional().describe('Default 2'),
        networkPlugin: z => z.enum(['azure', 'kubenet', 'none']).optional(),
        networkPluginMode: z => z.enum(['overlay']).optional(),
        networkPolicy: z =>
          z.enum(['azure', 'calico', 'cilium', 'none']).optional(),
        tags: z => z.record(z.string()).optional().describe('Azure tags'),
        selfInstalledKaito: z =>
          z
            .boolean()
            .optional()
            .describe(
              'Skip the add-on; create the gpu-provisioner identity, Contributor role and federated credential for a Helm-installed KAITO',
            ),
        owner: z =>
          z
            .string()
            .optional()
            .describe('Azure tag backstage-owner (catalog discovery)'),
        system: z =>
          z.string().optional().describe('Azure tag backstage-system'),
      },
      output: {
        clusterId: z => z.string(),
        clusterName: z =>
          z.string().describe('Name in the KAITO cluster registry'),
        apiServerUrl: z => z.string(),
        oidcIssuerUrl: z => z.string(),
        nodeResourceGroup: z => z.string(),
        caData: z => z.string().describe('Base64 CA of the API server'),
        location: z => z.string(),
        subscriptionId: z => z.string(),
        requestBody: z =>
          z.string().optional().describe('The ARM request body (JSON)'),
      },
    },
    async handler(ctx) {
      const input = ctx.input as AksInput & {
        subscriptionId?: string;
        createResourceGroup?: boolean;
      };
      checkAksInput(input);
      if (input.selfInstalledKaito) {
        await provisionSelfInstalledKaitoIdentity(undefined as any);
      }
      const location = normalizeLocation(input.location);
      const azure = requireAzure(deps.clusters);
      const subscriptionId = azure.subscription(input.subscriptionId);
      const { resourceGroup, name } = input;
      const body = buildManagedCluster(input, location);
      const aks = azure.containerService(subscriptionId);
      const clusterId = managedClusterId(subscriptionId, resourceGroup, name);
      const requestBody = JSON.stringify(body, null, 2);

      if (ctx.isDryRun) {
        ctx.logger.info(`Dry run: would PUT ${clusterId} with ${requestBody}`);
        const existing = await aks.managedClusters
          .get(resourceGroup, name, { abortSignal: ctx.signal })
          .catch(() => undefined);
        ctx.output('clusterId', existing?.id ?? clusterId);
        ctx.output('clusterName', name);
        ctx.output(
          'apiServerUrl',
          existing?.fqdn
            ? `https://${existing.fqdn}:443`
            : `https://${body.dnsPrefix}-00000000.hcp.${location}.azmk8s.io:443`,
        );
        ctx.output(
          'oidcIssuerUrl',
          existing?.oidcIssuerProfile?.issuerURL ??
            `https://${location}.oic.prod-aks.azure.com/<tenant>/<cluster>/`,
        );
        ctx.output(
          'nodeResourceGroup',
          existing?.nodeResourceGroup ??
            `MC_${resourceGroup}_${name}_${location}`,
        );
        ctx.output('caData', '');
        ctx.output('location', location);
        ctx.output('subscriptionId', subscriptionId);
        ctx.output('requestBody', requestBody);
        return;
      }

      if (input.createResourceGroup) {
        await ctx.checkpoint({
          key: `kaito.aks.resourceGroup.${subscriptionId}.${resourceGroup}`,
          fn: async () => {
            const rg = await azure
              .resources(subscriptionId)
              .resourceGroups.createOrUpdate(
                resourceGroup,
                { location, tags: body.tags },
                { abortSignal: ctx.signal },
              )
              .catch(error => {
                throw new Error(
                  `Could not create resource group '${resourceGroup}': ${azureErrorText(
                    error,
                  )}`,
                );
              });
            ctx.logger.info(
              `Resource group ${resourceGroup} is ready in ${rg.location}`,
            );
            return { id: rg.id ?? '' };
          },
        });
      }
      throwIfAborted(ctx.signal, `Creating cluster ${name}`);

      const created = await ctx.checkpoint({
        key: `kaito.aks.create.${subscriptionId}.${resourceGroup}.${name}`,
        fn: async () => {
          const mc = await runClusterLro({
            client: aks,
            resourceGroup,
            name,
            body,
            pollIntervalMs: azure.settings.pollIntervalMs,
            logger: ctx.logger,
            signal: ctx.signal,
          });
          return {
            clusterId: mc.id ?? clusterId,
            oidcIssuerUrl: mc.oidcIssuerProfile?.issuerURL ?? '',
            nodeResourceGroup: mc.nodeResourceGroup ?? '',
            location: mc.location ?? location,
          };
        },
      });

      if (input.selfInstalledKaito) {
        await provisionSelfInstalledKaitoIdentity({
          azure,
          subscriptionId,
          resourceGroup,
          clusterName: name,
          clusterId: created.clusterId,
          location: created.location,
          oidcIssuerUrl: created.oidcIssuerUrl,
          checkpoint: ctx.checkpoint,
          logger: ctx.logger,
          signal: ctx.signal,
        });
      }

      // Not a mutation: read on every run (also after a recovery) so the
      // cluster is registered again in this process.
      const access = await registerManagedCluster(
        deps.clusters,
        subscriptionId,
        resourceGroup,
        name,
        ctx.signal,
      );
      ctx.logger.info(
        `Cluster '${name}' is registered for the next steps at ${access.apiServerUrl}`,
      );

      ctx.output('clusterId', created.clusterId);
      ctx.output('clusterName', name);
      ctx.output('apiServerUrl', access.apiServerUrl);
      ctx.output('oidcIssuerUrl', created.oidcIssuerUrl);
      ctx.output('nodeResourceGroup', created.nodeResourceGroup);
      ctx.output('caData', access.caData);
      ctx.output('location', created.location);
      ctx.output('subscriptionId', subscriptionId);
      ctx.output('requestBody', requestBody);
    },
  });
}
