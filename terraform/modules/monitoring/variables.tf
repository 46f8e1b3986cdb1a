variable "name_prefix" {
  type        = string
  description = "Prefix of every resource name: 2-20 letters, digits or '-' (Grafana allows at most 23 characters in total)."

  validation {
    condition     = can(regex("^[a-zA-Z][a-zA-Z0-9-]{0,18}[a-zA-Z0-9]$", var.name_prefix))
    error_message = "name_prefix must be 2-20 letters, digits or '-', starting with a letter and ending with a letter or digit."
  }
}

variable "resource_group_name" {
  type        = string
  description = "Existing resource group for the monitoring resources."
}

variable "location" {
  type        = string
  description = "Azure region, e.g. \"eastus\"."
}

variable "log_retention_days" {
  type        = number
  description = "Log Analytics retention in days (30-730)."
  default     = 30

  validation {
    condition     = var.log_retention_days >= 30 && var.log_retention_days <= 730
    error_message = "log_retention_days must be between 30 and 730."
  }
}

variable "prometheus_enabled" {
  type        = bool
  description = "Create an Azure Monitor workspace (managed Prometheus) and the data collection rule that scrapes the cluster. Set managed_prometheus_enabled on aks-kaito too."
  default     = true
}

variable "grafana_enabled" {
  type        = bool
  description = "Create Azure Managed Grafana wired to the Azure Monitor workspace (needs prometheus_enabled)."
  default     = true
}

variable "grafana_admin_principal_ids" {
  type        = list(string)
  description = "Principal (object) IDs granted Grafana Admin."
  default     = []
}

variable "cluster_id" {
  type        = string
  description = "Resource ID of the AKS cluster whose metrics the data collection rule collects (used when prometheus_enabled)."
  default     = null
}

variable "tags" {
  type        = map(string)
  description = "Tags for every resource the module creates."
  default     = {}
}
