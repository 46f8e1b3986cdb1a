terraform {
  required_version = ">= 1.5.0"

  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = ">= 4.48.0, < 5.0.0"
    }
    kubernetes = {
      source  = "hashicorp/kubernetes"
      version = ">= 2.23.0"
    }
  }
}

provider "azurerm" {
  features {}
  subscription_id = var.subscription_id
}

# The Workspace is applied through the new cluster's API. kubelogin turns the caller's Azure CLI
# sign-in into a token for AKS's Entra ID server application (fixed ID 6dae42f8-...).
provider "kubernetes" {
  host                   = module.aks_kaito.kube_api_host
  cluster_ca_certificate = base64decode(module.aks_kaito.cluster_ca_certificate)

  exec {
    api_version = "client.authentication.k8s.io/v1beta1"
    command     = "kubelogin"
    args        = ["get-token", "--login", "azurecli", "--server-id", "6dae42f8-4368-4678-94ff-3960e28e3630"]
  }
}
