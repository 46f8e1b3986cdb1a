export interface Config {
  catalog?: {
    providers?: {
      /**
       * KAITO entity provider (`@kaito-backstage/plugin-catalog-backend-module-kaito`):
       * registers Workspaces and KAITO AKS clusters as catalog Resources,
       * straight from the clusters and Azure (no git host needed).
       */
      kaito?: {
        /** Seconds between scheduled refreshes. Default 30. Templates also trigger one at once. */
        refreshIntervalSeconds?: number;
        workspaces?: {
          /**
           * Register Workspaces (on every cluster in kubernetes.clusterLocatorMethods)
           * that carry the `backstage.io/owner` annotation. Default true.
           */
          enabled?: boolean;
        };
        aksClusters?: {
          /**
           * Register AKS clusters tagged `backstage-owner` as `kubernetes-cluster`
           * Resources. Default: true when `kaito.azure` names a subscription.
           */
          enabled?: boolean;
          /** Subscription GUIDs to scan. Default: `kaito.azure.subscriptionId`. */
          subscriptions?: string[];
        };
      };
    };
  };
}
