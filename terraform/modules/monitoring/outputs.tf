output "log_analytics_workspace_id" {
  description = "Resource ID of the Log Analytics workspace (the aks-kaito module's log_analytics_workspace_id)."
  value       = azurerm_log_analytics_workspace.this.id
}

output "monitor_workspace_id" {
  description = "Resource ID of the Azure Monitor workspace (managed Prometheus), or null."
  value       = var.prometheus_enabled ? azurerm_monitor_workspace.this[0].id : null
}

output "grafana_endpoint" {
  description = "URL of Azure Managed Grafana, or null."
  value       = var.prometheus_enabled && var.grafana_enabled ? azurerm_dashboard_grafana.this[0].endpoint : null
}
