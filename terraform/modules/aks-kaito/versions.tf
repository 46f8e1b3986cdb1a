terraform {
  required_version = ">= 1.5.0"

  required_providers {
    azurerm = {
      source = "hashicorp/azurerm"
      # 4.48.0 added ai_toolchain_operator_enabled (the managed KAITO add-on).
      version = ">= 4.48.0, < 5.0.0"
    }
  }
}
