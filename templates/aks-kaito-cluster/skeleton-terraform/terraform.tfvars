# Rendered by the aks-kaito-cluster template for ${{ values.owner }}. The root's .tf files are
# terraform/examples/complete verbatim; the modules are ../../modules (terraform/modules).
name_prefix            = "${{ values.namePrefix }}"
location               = "${{ values.location }}"
{%- if values.kubernetesVersion %}
kubernetes_version     = "${{ values.kubernetesVersion }}"
{%- else %}
kubernetes_version     = null
{%- endif %}
network_plugin         = "${{ values.networkPlugin }}"
{%- if values.networkPluginMode == 'overlay' %}
network_plugin_mode    = "overlay"
{%- else %}
network_plugin_mode    = null
{%- endif %}
{%- if values.networkPolicy and values.networkPolicy != 'none' %}
network_policy         = "${{ values.networkPolicy }}"
{%- else %}
network_policy         = null
{%- endif %}
network_data_plane     = "${{ 'cilium' if values.networkPolicy == 'cilium' else 'azure' }}"
system_pool_vm_size    = "${{ values.systemPoolVmSize }}"
system_pool_node_count = ${{ values.systemPoolCount }}
vnet_enabled           = ${{ 'true' if values.vnet else 'false' }}
monitoring_enabled     = ${{ 'true' if values.monitoring else 'false' }}
acr_enabled            = ${{ 'true' if values.acr else 'false' }}
key_vault_enabled      = ${{ 'true' if values.keyVault else 'false' }}
{%- if values.deployWorkspace %}
workspace = {
  name          = "${{ values.workspaceName }}"
  namespace     = "${{ values.workspaceNamespace }}"
  preset        = "${{ values.model }}"
  instance_type = "${{ values.instanceType }}"
  runtime       = "vllm"
{%- if values.hfTokenSecret %}
  model_access_secret = "${{ values.hfTokenSecret }}"
{%- endif %}
}
{%- else %}
workspace = null
{%- endif %}
# backstage-owner / backstage-system: the portal's KAITO catalog provider registers the cluster as a
# kubernetes-cluster Resource from these tags once it exists.
tags = {
  "backstage-owner" = "${{ values.owner }}"
{%- if values.system %}
  "backstage-system" = "${{ values.system }}"
{%- endif %}
}
