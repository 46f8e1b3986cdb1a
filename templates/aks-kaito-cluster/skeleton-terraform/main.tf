locals {
  acr_name = coalesce(var.acr_name, substr("${replace(var.name_prefix, "-", "")}acr", 0, 50))
  tags     = merge({ "managed-by" = "terraform", "app" = "kaito" }, var.tags)
}

resource "azurerm_resource_group" "this" {
  name     = "${var.name_prefix}-rg"
  location = var.location
  tags     = local.tags
}

module "network" {
  source = "../../modules/network"
  count  = var.vnet_enabled ? 1 : 0

  name_prefix         = var.name_prefix
  resource_group_name = azurerm_resource_group.this.name
  location            = var.location
  tags                = local.tags
}

module "monitoring" {
  source = "../../modules/monitoring"
  count  = var.monitoring_enabled ? 1 : 0

  name_prefix                 = var.name_prefix
  resource_group_name         = azurerm_resource_group.this.name
  location                    = var.location
  cluster_id                  = module.aks_kaito.id
  grafana_admin_principal_ids = var.admin_group_object_ids
  tags                        = local.tags
}

module "aks_kaito" {
  source = "../../modules/aks-kaito"

  name                               = "${var.name_prefix}-aks"
  resource_group_name                = azurerm_resource_group.this.name
  location                           = var.location
  kubernetes_version                 = var.kubernetes_version
  system_pool_vm_size                = var.system_pool_vm_size
  system_pool_node_count             = var.system_pool_node_count
  network_plugin                     = var.network_plugin
  network_plugin_mode                = var.network_plugin_mode
  network_policy                     = var.network_policy
  network_data_plane                 = var.network_data_plane
  vnet_subnet_id                     = var.vnet_enabled ? module.network[0].node_subnet_id : null
  outbound_type                      = var.vnet_enabled ? "userAssignedNATGateway" : "loadBalancer"
  admin_group_object_ids             = var.admin_group_object_ids
  log_analytics_workspace_id         = var.monitoring_enabled ? module.monitoring[0].log_analytics_workspace_id : null
  managed_prometheus_enabled         = var.monitoring_enabled
  key_vault_secrets_provider_enabled = var.key_vault_enabled
  tags                               = local.tags
}

module "container_registry" {
  source = "../../modules/container-registry"
  count  = var.acr_enabled ? 1 : 0

  name                = local.acr_name
  resource_group_name = azurerm_resource_group.this.name
  location            = var.location
  pull_principal_ids  = [module.aks_kaito.kubelet_identity.object_id]
  tags                = local.tags
}

module "key_vault" {
  source = "../../modules/key-vault"
  count  = var.key_vault_enabled ? 1 : 0

  name                       = "${var.name_prefix}-kv"
  resource_group_name        = azurerm_resource_group.this.name
  location                   = var.location
  secrets_user_principal_ids = [module.aks_kaito.key_vault_secrets_provider_identity.object_id]
  tags                       = local.tags
}

module "workspace" {
  source = "../../modules/kaito-workspace"
  count  = var.workspace == null ? 0 : 1

  name                = var.workspace.name
  namespace           = var.workspace.namespace
  preset              = var.workspace.preset
  instance_type       = var.workspace.instance_type
  runtime             = var.workspace.runtime
  model_access_secret = var.workspace.model_access_secret
  wait_for_ready      = var.workspace.wait_for_ready

  depends_on = [module.aks_kaito]
}
