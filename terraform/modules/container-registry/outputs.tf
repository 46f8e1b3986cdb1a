output "id" {
  description = "Resource ID of the registry."
  value       = azurerm_container_registry.this.id
}

output "login_server" {
  description = "Login server, e.g. kaitoacr01.azurecr.io (prefix of adapter and app image names)."
  value       = azurerm_container_registry.this.login_server
}
