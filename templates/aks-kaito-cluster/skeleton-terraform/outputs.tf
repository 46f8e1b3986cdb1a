output "cluster_id" {
  description = "Resource ID of the AKS cluster."
  value       = module.aks_kaito.id
}

output "cluster_name" {
  description = "Name of the AKS cluster."
  value       = module.aks_kaito.name
}

output "kube_api_host" {
  description = "API server URL (the cluster Resource's kubernetes.io/api-server annotation)."
  value       = module.aks_kaito.kube_api_host
}

output "cluster_ca_certificate" {
  description = "Base64 cluster CA (the kubernetes.io/api-server-certificate-authority annotation)."
  value       = module.aks_kaito.cluster_ca_certificate
  sensitive   = true
}

output "oidc_issuer_url" {
  description = "OIDC issuer URL for workload identity."
  value       = module.aks_kaito.oidc_issuer_url
}

output "node_resource_group" {
  description = "Node resource group (KAITO's GPU nodes)."
  value       = module.aks_kaito.node_resource_group
}

output "acr_login_server" {
  description = "Registry login server, or null."
  value       = var.acr_enabled ? module.container_registry[0].login_server : null
}

output "key_vault_uri" {
  description = "Key Vault URI, or null."
  value       = var.key_vault_enabled ? module.key_vault[0].vault_uri : null
}

output "grafana_endpoint" {
  description = "Managed Grafana URL, or null."
  value       = var.monitoring_enabled ? module.monitoring[0].grafana_endpoint : null
}

output "workspace_openai_base_url" {
  description = "In-cluster OpenAI-compatible base URL of the first Workspace, or null."
  value       = var.workspace == null ? null : module.workspace[0].openai_base_url
}
