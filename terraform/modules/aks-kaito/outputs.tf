output "id" {
  description = "Resource ID of the AKS cluster."
  value       = azurerm_kubernetes_cluster.this.id
}

output "name" {
  description = "Name of the AKS cluster."
  value       = azurerm_kubernetes_cluster.this.name
}

output "kube_api_host" {
  description = "Kubernetes API server URL, for the `kubernetes.io/api-server` annotation of the cluster's catalog Resource and for the kubernetes provider."
  value       = "https://${azurerm_kubernetes_cluster.this.fqdn}:443"
}

output "cluster_ca_certificate" {
  description = "Base64 PEM of the cluster CA (the `kubernetes.io/api-server-certificate-authority` annotation)."
  value       = azurerm_kubernetes_cluster.this.kube_config[0].cluster_ca_certificate
  sensitive   = true
}

output "oidc_issuer_url" {
  description = "OIDC issuer URL, for workload identity federated credentials."
  value       = azurerm_kubernetes_cluster.this.oidc_issuer_url
}

output "node_resource_group" {
  description = "Resource group AKS creates for the nodes (KAITO's GPU nodes land here)."
  value       = azurerm_kubernetes_cluster.this.node_resource_group
}

output "kubelet_identity" {
  description = "Kubelet managed identity (client_id, object_id, user_assigned_identity_id); grant it AcrPull on a registry."
  value = {
    client_id                 = azurerm_kubernetes_cluster.this.kubelet_identity[0].client_id
    object_id                 = azurerm_kubernetes_cluster.this.kubelet_identity[0].object_id
    user_assigned_identity_id = azurerm_kubernetes_cluster.this.kubelet_identity[0].user_assigned_identity_id
  }
}

output "key_vault_secrets_provider_identity" {
  description = "Identity of the Key Vault Secrets Store CSI driver (object_id, client_id), or null when the add-on is off."
  value = var.key_vault_secrets_provider_enabled ? {
    object_id = azurerm_kubernetes_cluster.this.key_vault_secrets_provider[0].secret_identity[0].object_id
    client_id = azurerm_kubernetes_cluster.this.key_vault_secrets_provider[0].secret_identity[0].client_id
  } : null
}

output "ai_toolchain_operator_enabled" {
  description = "Whether the KAITO add-on is enabled (always true for this module)."
  value       = azurerm_kubernetes_cluster.this.ai_toolchain_operator_enabled
}
