variable "name" {
  type        = string
  description = "Key Vault name: 3-24 letters, digits or '-', starting with a letter, globally unique."

  validation {
    condition     = can(regex("^[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$", var.name)) && !can(regex("--", var.name))
    error_message = "name must be 3-24 letters, digits or '-', start with a letter, end with a letter or digit, and have no '--'."
  }
}

variable "resource_group_name" {
  type        = string
  description = "Existing resource group for the vault."
}

variable "location" {
  type        = string
  description = "Azure region, e.g. \"eastus\"."
}

variable "sku_name" {
  type        = string
  description = "Vault SKU: standard or premium (HSM-backed keys)."
  default     = "standard"

  validation {
    condition     = contains(["standard", "premium"], var.sku_name)
    error_message = "sku_name must be \"standard\" or \"premium\"."
  }
}

variable "soft_delete_retention_days" {
  type        = number
  description = "Days a deleted vault or secret stays recoverable (7-90)."
  default     = 7

  validation {
    condition     = var.soft_delete_retention_days >= 7 && var.soft_delete_retention_days <= 90
    error_message = "soft_delete_retention_days must be between 7 and 90."
  }
}

variable "purge_protection_enabled" {
  type        = bool
  description = "Block purging deleted secrets before retention ends (cannot be turned off once on)."
  default     = false
}

variable "secrets_officer_principal_ids" {
  type        = list(string)
  description = "Principal (object) IDs granted Key Vault Secrets Officer (write secrets such as the Hugging Face token)."
  default     = []
}

variable "secrets_user_principal_ids" {
  type        = list(string)
  description = "Principal (object) IDs granted Key Vault Secrets User (read), e.g. the cluster's Key Vault CSI driver identity."
  default     = []
}

variable "tags" {
  type        = map(string)
  description = "Tags for the vault."
  default     = {}
}
