output "vnet_id" {
  description = "Resource ID of the virtual network."
  value       = azurerm_virtual_network.this.id
}

output "node_subnet_id" {
  description = "Resource ID of the node subnet (the aks-kaito module's vnet_subnet_id). Depends on the NAT association, so the cluster is created after egress exists."
  value       = var.nat_gateway_enabled ? azurerm_subnet_nat_gateway_association.nodes[0].subnet_id : azurerm_subnet.nodes.id
}

output "nat_gateway_id" {
  description = "Resource ID of the NAT gateway, or null when disabled."
  value       = var.nat_gateway_enabled ? azurerm_nat_gateway.this[0].id : null
}

output "egress_ip" {
  description = "Static public egress IP of the nodes, or null without a NAT gateway."
  value       = var.nat_gateway_enabled ? azurerm_public_ip.nat[0].ip_address : null
}
