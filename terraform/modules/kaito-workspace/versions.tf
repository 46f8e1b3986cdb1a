terraform {
  required_version = ">= 1.5.0"

  required_providers {
    kubernetes = {
      source = "hashicorp/kubernetes"
      # kubernetes_manifest with wait conditions and field_manager.
      version = ">= 2.23.0"
    }
  }
}
