variable "name_prefix" {
  type        = string
  description = "Prefix of every resource name (VNet, subnet, NAT gateway, public IP): 1-40 letters, digits or '-'."

  validation {
    condition     = can(regex("^[a-zA-Z0-9]([a-zA-Z0-9-]{0,38}[a-zA-Z0-9])?$", var.name_prefix))
    error_message = "name_prefix must be 1-40 letters, digits or '-', starting and ending with a letter or digit."
  }
}

variable "resource_group_name" {
  type        = string
  description = "Existing resource group for the network resources."
}

variable "location" {
  type        = string
  description = "Azure region, e.g. \"eastus\"."
}

variable "address_space" {
  type        = list(string)
  description = "VNet address space."
  default     = ["10.240.0.0/16"]

  validation {
    condition     = length(var.address_space) > 0 && alltrue([for c in var.address_space : can(cidrhost(c, 0))])
    error_message = "address_space must be a non-empty list of CIDR blocks such as \"10.240.0.0/16\"."
  }
}

variable "node_subnet_prefix" {
  type        = string
  description = "CIDR of the AKS node subnet, inside address_space. With Azure CNI Overlay only nodes take IPs from it."
  default     = "10.240.0.0/20"

  validation {
    condition     = can(cidrhost(var.node_subnet_prefix, 0)) && tonumber(split("/", var.node_subnet_prefix)[1]) <= 27
    error_message = "node_subnet_prefix must be a CIDR block of /27 or larger, such as \"10.240.0.0/20\"."
  }
}

variable "nat_gateway_enabled" {
  type        = bool
  description = "Create a NAT gateway with a static public IP for node egress (use outbound_type = \"userAssignedNATGateway\" on the cluster)."
  default     = true
}

variable "nat_idle_timeout_minutes" {
  type        = number
  description = "NAT gateway idle timeout in minutes (4-120)."
  default     = 4

  validation {
    condition     = var.nat_idle_timeout_minutes >= 4 && var.nat_idle_timeout_minutes <= 120
    error_message = "nat_idle_timeout_minutes must be between 4 and 120."
  }
}

variable "zones" {
  type        = list(string)
  description = "Availability zone for the NAT gateway and its public IP (at most one zone; NAT gateways are zonal)."
  default     = []

  validation {
    condition     = length(var.zones) <= 1 && alltrue([for z in var.zones : contains(["1", "2", "3"], z)])
    error_message = "zones may hold at most one of \"1\", \"2\" or \"3\"."
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags for every resource the module creates."
  default     = {}
}
