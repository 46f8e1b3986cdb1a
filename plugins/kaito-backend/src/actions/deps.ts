import {
  AuthService,
  DiscoveryService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { PriceTable } from '@kaito-backstage/plugin-kaito-common';
import { KaitoClusters } from '@kaito-backstage/plugin-kaito-node';
import { EntityResolver } from '../service/EntityResolver';

/** What the KAITO actions share with the HTTP routes. */
export interface KaitoActionDeps {
  actionsRegistry: ActionsRegistryService;
  catalog: CatalogService;
  permissions: PermissionsService;
  kaito: KaitoClusters;
  /** The same resolver class the routes use: one entity lookup and permission check. */
  resolver: EntityResolver;
  auth: AuthService;
  discovery: DiscoveryService;
  prices: PriceTable;
  logger: LoggerService;
}
