output "name" {
  description = "Workspace name."
  value       = kubernetes_manifest.workspace.manifest.metadata.name
}

output "namespace" {
  description = "Workspace namespace."
  value       = kubernetes_manifest.workspace.manifest.metadata.namespace
}

output "manifest" {
  description = "The Workspace manifest as applied (kaito.sh/v1beta1)."
  value       = local.manifest
}

output "service_url" {
  description = "In-cluster base URL of the Workspace's Service (KAITO names it after the Workspace, port 80)."
  value       = "http://${var.name}.${var.namespace}.svc.cluster.local"
}

output "openai_base_url" {
  description = "In-cluster OpenAI-compatible base URL (vLLM runtime): /v1/chat/completions, /v1/models."
  value       = "http://${var.name}.${var.namespace}.svc.cluster.local/v1"
}
