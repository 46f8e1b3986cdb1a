variable "name" {
  type        = string
  description = "Registry name: 5-50 letters or digits, globally unique (becomes <name>.azurecr.io)."

  validation {
    condition     = can(regex("^[a-zA-Z0-9]{5,50}$", var.name))
    error_message = "name must be 5-50 letters or digits with no '-' (e.g. \"kaitoacr01\")."
  }
}

variable "resource_group_name" {
  type        = string
  description = "Existing resource group for the registry."
}

variable "location" {
  type        = string
  description = "Azure region, e.g. \"eastus\"."
}

variable "sku" {
  type        = string
  description = "Registry SKU: Basic, Standard or Premium (Premium for private endpoints and geo-replication)."
  default     = "Standard"

  validation {
    condition     = contains(["Basic", "Standard", "Premium"], var.sku)
    error_message = "sku must be \"Basic\", \"Standard\" or \"Premium\"."
  }
}

variable "pull_principal_ids" {
  type        = list(string)
  description = "Principal (object) IDs granted AcrPull, e.g. the cluster's kubelet identity, so nodes pull adapter and app images."
  default     = []
}

variable "push_principal_ids" {
  type        = list(string)
  description = "Principal (object) IDs granted AcrPush, e.g. a CI identity that pushes tuned adapter images."
  default     = []
}

variable "tags" {
  type        = map(string)
  description = "Tags for the registry."
  default     = {}
}
