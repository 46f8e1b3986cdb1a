output "id" {
  description = "Resource ID of the vault."
  value       = azurerm_key_vault.this.id
}

output "name" {
  description = "Vault name."
  value       = azurerm_key_vault.this.name
}

output "vault_uri" {
  description = "Vault URI, e.g. https://<name>.vault.azure.net/ (for a SecretProviderClass)."
  value       = azurerm_key_vault.this.vault_uri
}
