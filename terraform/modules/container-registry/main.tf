resource "azurerm_container_registry" "this" {
  name                = var.name
  resource_group_name = var.resource_group_name
  location            = var.location
  sku                 = var.sku
  admin_enabled       = false
  tags                = var.tags
}

# count, not for_each: the IDs are often unknown until apply, but the list length is known.
resource "azurerm_role_assignment" "pull" {
  count                            = length(var.pull_principal_ids)
  scope                            = azurerm_container_registry.this.id
  role_definition_name             = "AcrPull"
  principal_id                     = var.pull_principal_ids[count.index]
  skip_service_principal_aad_check = true
}

resource "azurerm_role_assignment" "push" {
  count                = length(var.push_principal_ids)
  scope                = azurerm_container_registry.this.id
  role_definition_name = "AcrPush"
  principal_id         = var.push_principal_ids[count.index]
}
