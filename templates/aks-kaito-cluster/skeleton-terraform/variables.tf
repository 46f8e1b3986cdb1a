variable "subscription_id" {
  type        = string
  description = "Azure subscription ID to deploy into. Null uses ARM_SUBSCRIPTION_ID from the environment."
  default     = null

  validation {
    condition     = var.subscription_id == null || can(regex("^[0-9a-fA-F-]{36}$", coalesce(var.subscription_id, "x")))
    error_message = "subscription_id must be a subscription GUID, or null to read ARM_SUBSCRIPTION_ID."
  }
}

variable "name_prefix" {
  type        = string
  description = "Prefix of every resource name: 2-20 lower-case letters, digits or '-', starting with a letter (the cluster is <prefix>-aks)."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,18}[a-z0-9]$", var.name_prefix)) && !can(regex("--", var.name_prefix))
    error_message = "name_prefix must be 2-20 lower-case letters, digits or '-', start with a letter, end with a letter or digit and have no '--' (e.g. \"kaito-dev\")."
  }
}

variable "location" {
  type        = string
  description = "Azure region with GPU quota for the Workspace's instance type, e.g. \"eastus\"."
  default     = "eastus"

  validation {
    condition     = can(regex("^[a-z0-9]+$", var.location))
    error_message = "location must be an Azure region name in lower case without spaces, e.g. \"eastus\"."
  }
}

variable "kubernetes_version" {
  type        = string
  description = "Kubernetes version such as \"1.33\"; null takes the region's default."
  default     = null
}

variable "network_plugin" {
  type        = string
  description = "CNI plugin: azure, kubenet or none."
  default     = "azure"
}

variable "network_plugin_mode" {
  type        = string
  description = "\"overlay\" (Azure CNI Overlay) or null."
  default     = "overlay"
}

variable "network_policy" {
  type        = string
  description = "Network policy engine: azure, calico, cilium or null."
  default     = null
}

variable "network_data_plane" {
  type        = string
  description = "Data plane: azure or cilium (required for network_policy = \"cilium\")."
  default     = "azure"
}

variable "system_pool_vm_size" {
  type        = string
  description = "VM size of the system node pool."
  default     = "Standard_D4ds_v5"

  validation {
    condition     = can(regex("^Standard_[A-Za-z0-9_]+$", var.system_pool_vm_size))
    error_message = "system_pool_vm_size must be an Azure VM size name such as \"Standard_D4ds_v5\"."
  }
}

variable "system_pool_node_count" {
  type        = number
  description = "Number of system nodes (1-100)."
  default     = 2

  validation {
    condition     = var.system_pool_node_count >= 1 && var.system_pool_node_count <= 100 && floor(var.system_pool_node_count) == var.system_pool_node_count
    error_message = "system_pool_node_count must be a whole number from 1 to 100."
  }
}

variable "vnet_enabled" {
  type        = bool
  description = "Create a VNet, node subnet and NAT gateway (static egress IP) instead of the AKS-managed VNet."
  default     = true
}

variable "monitoring_enabled" {
  type        = bool
  description = "Create Log Analytics (Container Insights), managed Prometheus and Managed Grafana."
  default     = false
}

variable "acr_enabled" {
  type        = bool
  description = "Create an Azure Container Registry the cluster can pull from (adapter, tuning and app images)."
  default     = false
}

variable "acr_name" {
  type        = string
  description = "Registry name (5-50 letters or digits, globally unique). Null derives it from name_prefix."
  default     = null
}

variable "key_vault_enabled" {
  type        = bool
  description = "Create a Key Vault (RBAC) and enable the cluster's Key Vault CSI driver, e.g. for the Hugging Face token."
  default     = false
}

variable "admin_group_object_ids" {
  type        = list(string)
  description = "Entra ID groups that get cluster-admin (and Grafana Admin when monitoring is on)."
  default     = []
}

variable "workspace" {
  type = object({
    name                = string
    namespace           = optional(string, "default")
    preset              = string
    instance_type       = optional(string, "Standard_NC24ads_A100_v4")
    runtime             = optional(string, "vllm")
    model_access_secret = optional(string)
    wait_for_ready      = optional(bool, false)
  })
  description = "Optional first Workspace. Null creates none. Needs a second apply after the cluster exists (see README)."
  default     = null
}

variable "tags" {
  type        = map(string)
  description = "Tags for every resource."
  default     = {}
}
