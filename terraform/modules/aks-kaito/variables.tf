variable "name" {
  type        = string
  description = "AKS cluster name: 1-63 letters, digits, '-' or '_', starting and ending with a letter or digit."

  validation {
    condition     = can(regex("^[a-zA-Z0-9]([a-zA-Z0-9_-]{0,61}[a-zA-Z0-9])?$", var.name))
    error_message = "name must be 1-63 characters of letters, digits, '-' or '_', and start and end with a letter or digit (e.g. \"kaito-aks\")."
  }
}

variable "resource_group_name" {
  type        = string
  description = "Existing resource group that holds the cluster."

  validation {
    condition     = can(regex("^[-\\w\\._\\(\\)]{1,90}$", var.resource_group_name)) && !endswith(var.resource_group_name, ".")
    error_message = "resource_group_name must be 1-90 letters, digits, '-', '_', '.', '(' or ')' and must not end with '.'."
  }
}

variable "location" {
  type        = string
  description = "Azure region of the cluster, e.g. \"eastus\". GPU node pools need GPU quota in this region."

  validation {
    condition     = can(regex("^[a-z0-9]+$", var.location))
    error_message = "location must be an Azure region name in lower case without spaces, e.g. \"eastus\" or \"westeurope\"."
  }
}

variable "dns_prefix" {
  type        = string
  description = "DNS prefix of the API server FQDN. Null uses the cluster name."
  default     = null

  validation {
    condition     = var.dns_prefix == null || can(regex("^[a-zA-Z0-9]([a-zA-Z0-9-]{0,52}[a-zA-Z0-9])?$", var.dns_prefix))
    error_message = "dns_prefix must be 1-54 letters, digits or '-', starting and ending with a letter or digit."
  }
}

variable "kubernetes_version" {
  type        = string
  description = "Kubernetes version (\"1.33\" or \"1.33.2\"). Null takes the region's default version."
  default     = null

  validation {
    condition     = var.kubernetes_version == null || can(regex("^1\\.[0-9]+(\\.[0-9]+)?$", var.kubernetes_version))
    error_message = "kubernetes_version must look like \"1.33\" or \"1.33.2\", or be null for the region's default."
  }
}

variable "sku_tier" {
  type        = string
  description = "Control plane tier: Free, Standard (uptime SLA) or Premium."
  default     = "Standard"

  validation {
    condition     = contains(["Free", "Standard", "Premium"], var.sku_tier)
    error_message = "sku_tier must be \"Free\", \"Standard\" or \"Premium\"."
  }
}

variable "system_pool_vm_size" {
  type        = string
  description = "VM size of the system node pool (CPU nodes; KAITO provisions its own GPU nodes)."
  default     = "Standard_D4ds_v5"

  validation {
    condition     = can(regex("^Standard_[A-Za-z0-9_]+$", var.system_pool_vm_size))
    error_message = "system_pool_vm_size must be an Azure VM size name such as \"Standard_D4ds_v5\"."
  }
}

variable "system_pool_node_count" {
  type        = number
  description = "Number of system nodes (the initial count when autoscaling is on)."
  default     = 2

  validation {
    condition     = var.system_pool_node_count >= 1 && var.system_pool_node_count <= 100 && floor(var.system_pool_node_count) == var.system_pool_node_count
    error_message = "system_pool_node_count must be a whole number from 1 to 100."
  }
}

variable "system_pool_autoscaling" {
  type = object({
    enabled   = bool
    min_count = optional(number, 1)
    max_count = optional(number, 5)
  })
  description = "Cluster autoscaler for the system pool."
  default     = { enabled = false }

  validation {
    condition = (!var.system_pool_autoscaling.enabled || (
      var.system_pool_autoscaling.min_count >= 1 &&
      var.system_pool_autoscaling.max_count <= 1000 &&
      var.system_pool_autoscaling.min_count <= var.system_pool_autoscaling.max_count
    ))
    error_message = "system_pool_autoscaling needs 1 <= min_count <= max_count <= 1000 when enabled."
  }
}

variable "system_pool_os_disk_size_gb" {
  type        = number
  description = "OS disk size of each system node in GB. Null takes the VM size's default."
  default     = null

  validation {
    condition     = var.system_pool_os_disk_size_gb == null || (coalesce(var.system_pool_os_disk_size_gb, 0) >= 30 && coalesce(var.system_pool_os_disk_size_gb, 0) <= 2048)
    error_message = "system_pool_os_disk_size_gb must be between 30 and 2048, or null."
  }
}

variable "system_pool_only_critical_addons" {
  type        = bool
  description = "Taint the system pool CriticalAddonsOnly. Leave false unless you add a user node pool: KAITO's GPU nodes are tainted, so apps such as the chat app would have nowhere else to run."
  default     = false
}

variable "system_pool_zones" {
  type        = list(string)
  description = "Availability zones of the system pool, e.g. [\"1\", \"2\", \"3\"]. Empty for no zones."
  default     = []

  validation {
    condition     = alltrue([for z in var.system_pool_zones : contains(["1", "2", "3"], z)])
    error_message = "system_pool_zones may only contain \"1\", \"2\" and \"3\"."
  }
}

variable "vnet_subnet_id" {
  type        = string
  description = "Subnet for the nodes (see the network module). Null lets AKS create a managed VNet."
  default     = null
}

variable "network_plugin" {
  type        = string
  description = "CNI plugin: azure (Azure CNI), kubenet or none (bring your own CNI)."
  default     = "azure"

  validation {
    condition     = contains(["azure", "kubenet", "none"], var.network_plugin)
    error_message = "network_plugin must be \"azure\", \"kubenet\" or \"none\"."
  }
}

variable "network_plugin_mode" {
  type        = string
  description = "\"overlay\" for Azure CNI Overlay (pod IPs outside the VNet), or null for flat Azure CNI. Only with network_plugin = \"azure\"."
  default     = "overlay"

  validation {
    condition     = var.network_plugin_mode == null || var.network_plugin_mode == "overlay"
    error_message = "network_plugin_mode must be \"overlay\" or null."
  }
}

variable "network_policy" {
  type        = string
  description = "Network policy engine: azure, calico, cilium, or null for none. cilium needs network_data_plane = \"cilium\"."
  default     = null

  validation {
    condition     = var.network_policy == null || contains(["azure", "calico", "cilium"], coalesce(var.network_policy, "none"))
    error_message = "network_policy must be \"azure\", \"calico\", \"cilium\" or null."
  }
}

variable "network_data_plane" {
  type        = string
  description = "Data plane: azure, or cilium (Azure CNI powered by Cilium; needs network_plugin = \"azure\")."
  default     = "azure"

  validation {
    condition     = contains(["azure", "cilium"], var.network_data_plane)
    error_message = "network_data_plane must be \"azure\" or \"cilium\"."
  }
}

variable "outbound_type" {
  type        = string
  description = "Egress: loadBalancer, managedNATGateway, userAssignedNATGateway (with the network module's NAT gateway) or userDefinedRouting."
  default     = "loadBalancer"

  validation {
    condition     = contains(["loadBalancer", "managedNATGateway", "userAssignedNATGateway", "userDefinedRouting"], var.outbound_type)
    error_message = "outbound_type must be \"loadBalancer\", \"managedNATGateway\", \"userAssignedNATGateway\" or \"userDefinedRouting\"."
  }
}

variable "pod_cidr" {
  type        = string
  description = "Pod CIDR for overlay or kubenet, e.g. \"10.244.0.0/16\". Null takes AKS's default."
  default     = null

  validation {
    condition     = var.pod_cidr == null || can(cidrhost(coalesce(var.pod_cidr, "0.0.0.0/0"), 0))
    error_message = "pod_cidr must be a CIDR block such as \"10.244.0.0/16\"."
  }
}

variable "service_cidr" {
  type        = string
  description = "Kubernetes service CIDR, e.g. \"10.0.0.0/16\". Set together with dns_service_ip, or leave both null."
  default     = null

  validation {
    condition     = var.service_cidr == null || can(cidrhost(coalesce(var.service_cidr, "0.0.0.0/0"), 0))
    error_message = "service_cidr must be a CIDR block such as \"10.0.0.0/16\"."
  }
}

variable "dns_service_ip" {
  type        = string
  description = "Cluster DNS service IP inside service_cidr, e.g. \"10.0.0.10\"."
  default     = null

  validation {
    condition     = var.dns_service_ip == null || can(regex("^([0-9]{1,3}\\.){3}[0-9]{1,3}$", coalesce(var.dns_service_ip, "x")))
    error_message = "dns_service_ip must be an IPv4 address inside service_cidr, e.g. \"10.0.0.10\"."
  }
}

variable "workload_identity_enabled" {
  type        = bool
  description = "Enable Microsoft Entra Workload ID (apps such as the chat app authenticate to Azure without secrets)."
  default     = true
}

variable "azure_rbac_enabled" {
  type        = bool
  description = "Entra ID integration with Azure RBAC for Kubernetes authorization (what Backstage's `azure` auth provider expects)."
  default     = true
}

variable "admin_group_object_ids" {
  type        = list(string)
  description = "Entra ID group object IDs that get cluster-admin."
  default     = []

  validation {
    condition     = alltrue([for id in var.admin_group_object_ids : can(regex("^[0-9a-fA-F-]{36}$", id))])
    error_message = "admin_group_object_ids must be Entra ID object IDs (GUIDs)."
  }
}

variable "local_account_disabled" {
  type        = bool
  description = "Disable the static local admin kubeconfig (recommended with azure_rbac_enabled)."
  default     = false
}

variable "log_analytics_workspace_id" {
  type        = string
  description = "Log Analytics workspace for Container Insights (see the monitoring module). Null disables the agent."
  default     = null
}

variable "managed_prometheus_enabled" {
  type        = bool
  description = "Enable the Azure Monitor managed Prometheus metrics add-on (pair with the monitoring module's data collection rule)."
  default     = false
}

variable "key_vault_secrets_provider_enabled" {
  type        = bool
  description = "Enable the Key Vault Secrets Store CSI driver (e.g. to mount the Hugging Face token from Key Vault)."
  default     = false
}

variable "tags" {
  type        = map(string)
  description = "Tags for every resource the module creates."
  default     = {}
}
