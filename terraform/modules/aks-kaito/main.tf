data "azurerm_client_config" "current" {}

locals {
  dns_prefix = coalesce(var.dns_prefix, substr(replace(var.name, "_", "-"), 0, 54))
}

resource "azurerm_kubernetes_cluster" "this" {
  name                = var.name
  location            = var.location
  resource_group_name = var.resource_group_name
  dns_prefix          = local.dns_prefix
  kubernetes_version  = var.kubernetes_version
  sku_tier            = var.sku_tier

  # The managed KAITO add-on (AI toolchain operator). The gpu-provisioner runs in the AKS
  # control plane, so no identity, federated credential or role assignment is needed here;
  # the add-on only requires the OIDC issuer.
  ai_toolchain_operator_enabled = true
  oidc_issuer_enabled           = true
  workload_identity_enabled     = var.workload_identity_enabled
  local_account_disabled        = var.local_account_disabled

  default_node_pool {
    name                         = "system"
    vm_size                      = var.system_pool_vm_size
    node_count                   = var.system_pool_node_count
    auto_scaling_enabled         = var.system_pool_autoscaling.enabled
    min_count                    = var.system_pool_autoscaling.enabled ? var.system_pool_autoscaling.min_count : null
    max_count                    = var.system_pool_autoscaling.enabled ? var.system_pool_autoscaling.max_count : null
    os_disk_size_gb              = var.system_pool_os_disk_size_gb
    zones                        = length(var.system_pool_zones) > 0 ? var.system_pool_zones : null
    vnet_subnet_id               = var.vnet_subnet_id
    only_critical_addons_enabled = var.system_pool_only_critical_addons
    tags                         = var.tags

    upgrade_settings {
      max_surge = "10%"
    }
  }

  identity {
    type = "SystemAssigned"
  }

  network_profile {
    network_plugin      = var.network_plugin
    network_plugin_mode = var.network_plugin == "azure" ? var.network_plugin_mode : null
    network_policy      = var.network_policy
    network_data_plane  = var.network_data_plane
    outbound_type       = var.outbound_type
    load_balancer_sku   = "standard"
    pod_cidr            = var.pod_cidr
    service_cidr        = var.service_cidr
    dns_service_ip      = var.dns_service_ip
  }

  dynamic "azure_active_directory_role_based_access_control" {
    for_each = var.azure_rbac_enabled ? [1] : []
    content {
      azure_rbac_enabled     = true
      tenant_id              = data.azurerm_client_config.current.tenant_id
      admin_group_object_ids = var.admin_group_object_ids
    }
  }

  dynamic "oms_agent" {
    for_each = var.log_analytics_workspace_id == null ? [] : [var.log_analytics_workspace_id]
    content {
      log_analytics_workspace_id      = oms_agent.value
      msi_auth_for_monitoring_enabled = true
    }
  }

  dynamic "monitor_metrics" {
    for_each = var.managed_prometheus_enabled ? [1] : []
    content {}
  }

  dynamic "key_vault_secrets_provider" {
    for_each = var.key_vault_secrets_provider_enabled ? [1] : []
    content {
      secret_rotation_enabled = true
    }
  }

  tags = var.tags

  lifecycle {
    precondition {
      condition     = var.network_policy != "cilium" || var.network_data_plane == "cilium"
      error_message = "network_policy \"cilium\" needs network_data_plane = \"cilium\"."
    }
    precondition {
      condition     = var.network_data_plane != "cilium" || var.network_plugin == "azure"
      error_message = "network_data_plane \"cilium\" needs network_plugin = \"azure\"."
    }
    precondition {
      condition     = var.network_plugin_mode == null || var.network_plugin == "azure"
      error_message = "network_plugin_mode \"overlay\" needs network_plugin = \"azure\"; set network_plugin_mode = null for kubenet or none."
    }
    precondition {
      condition     = (var.service_cidr == null) == (var.dns_service_ip == null)
      error_message = "service_cidr and dns_service_ip go together: set both or neither."
    }
    precondition {
      condition     = var.outbound_type != "userAssignedNATGateway" || var.vnet_subnet_id != null
      error_message = "outbound_type \"userAssignedNATGateway\" needs vnet_subnet_id (a subnet associated with the NAT gateway; see the network module)."
    }
    precondition {
      condition     = !var.local_account_disabled || var.azure_rbac_enabled
      error_message = "local_account_disabled = true needs azure_rbac_enabled = true, or nobody can sign in to the cluster."
    }
    ignore_changes = [
      # The autoscaler changes the count; do not fight it.
      default_node_pool[0].node_count,
    ]
  }
}
