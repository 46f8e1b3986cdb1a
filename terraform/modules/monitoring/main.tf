resource "azurerm_log_analytics_workspace" "this" {
  name                = "${var.name_prefix}-logs"
  location            = var.location
  resource_group_name = var.resource_group_name
  sku                 = "PerGB2018"
  retention_in_days   = var.log_retention_days
  tags                = var.tags
}

resource "azurerm_monitor_workspace" "this" {
  count               = var.prometheus_enabled ? 1 : 0
  name                = "${var.name_prefix}-prom"
  location            = var.location
  resource_group_name = var.resource_group_name
  tags                = var.tags
}

resource "azurerm_monitor_data_collection_endpoint" "prometheus" {
  count               = var.prometheus_enabled ? 1 : 0
  name                = "${var.name_prefix}-prom-dce"
  location            = var.location
  resource_group_name = var.resource_group_name
  kind                = "Linux"
  tags                = var.tags
}

resource "azurerm_monitor_data_collection_rule" "prometheus" {
  count                       = var.prometheus_enabled ? 1 : 0
  name                        = "${var.name_prefix}-prom-dcr"
  location                    = var.location
  resource_group_name         = var.resource_group_name
  data_collection_endpoint_id = azurerm_monitor_data_collection_endpoint.prometheus[0].id
  kind                        = "Linux"
  tags                        = var.tags

  destinations {
    monitor_account {
      monitor_account_id = azurerm_monitor_workspace.this[0].id
      name               = "MonitoringAccount"
    }
  }

  data_flow {
    streams      = ["Microsoft-PrometheusMetrics"]
    destinations = ["MonitoringAccount"]
  }

  data_sources {
    prometheus_forwarder {
      streams = ["Microsoft-PrometheusMetrics"]
      name    = "PrometheusDataSource"
    }
  }
}

resource "azurerm_monitor_data_collection_rule_association" "prometheus" {
  count                   = var.prometheus_enabled ? 1 : 0
  name                    = "${var.name_prefix}-prom-dcra"
  target_resource_id      = var.cluster_id
  data_collection_rule_id = azurerm_monitor_data_collection_rule.prometheus[0].id

  lifecycle {
    precondition {
      condition     = var.cluster_id != null
      error_message = "prometheus_enabled needs cluster_id (the aks-kaito module's id output)."
    }
  }
}

resource "azurerm_dashboard_grafana" "this" {
  count                 = var.prometheus_enabled && var.grafana_enabled ? 1 : 0
  name                  = "${var.name_prefix}-grafana"
  location              = var.location
  resource_group_name   = var.resource_group_name
  grafana_major_version = 11
  tags                  = var.tags

  identity {
    type = "SystemAssigned"
  }

  azure_monitor_workspace_integrations {
    resource_id = azurerm_monitor_workspace.this[0].id
  }
}

resource "azurerm_role_assignment" "grafana_reads_prometheus" {
  count                = var.prometheus_enabled && var.grafana_enabled ? 1 : 0
  scope                = azurerm_monitor_workspace.this[0].id
  role_definition_name = "Monitoring Data Reader"
  principal_id         = azurerm_dashboard_grafana.this[0].identity[0].principal_id
}

resource "azurerm_role_assignment" "grafana_admin" {
  count                = var.prometheus_enabled && var.grafana_enabled ? length(var.grafana_admin_principal_ids) : 0
  scope                = azurerm_dashboard_grafana.this[0].id
  role_definition_name = "Grafana Admin"
  principal_id         = var.grafana_admin_principal_ids[count.index]
}
