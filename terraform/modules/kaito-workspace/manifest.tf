# The Workspace manifest as a pure expression (no provider): terraform-tests evaluates this file
# with variables.tf alone and compares the result with kaito-common's builder.
locals {
  labels = merge(var.labels, {
    "backstage.io/kubernetes-id" = coalesce(var.kubernetes_id, var.name)
  })

  # Optional fields are added with `{ for k, v in {...} : k => v if v != null }` so the manifest
  # carries no nulls and both branches of a condition keep one type.
  annotations = merge(
    var.annotations,
    { for k, v in { "kaito.sh/runtime" = var.runtime == "transformers" ? "transformers" : null } : k => v if v != null },
  )

  resource = merge(
    {
      instanceType = var.instance_type
      labelSelector = {
        matchLabels = coalesce(var.label_selector, { apps = var.name })
      }
    },
    { for k, v in { count = var.node_count } : k => v if v != null },
  )

  preset = merge(
    { name = var.preset },
    { for k, v in { presetOptions = var.model_access_secret == null ? null : { modelAccessSecret = var.model_access_secret } } : k => v if v != null },
  )

  adapters = [
    for a in var.adapters : merge(
      {
        source = merge(
          { name = a.name, image = a.image },
          { for k, v in { imagePullSecrets = a.image_pull_secrets } : k => v if length(v) > 0 },
        )
      },
      { for k, v in { strength = a.strength } : k => v if v != null },
    )
  ]

  inference = merge(
    { preset = local.preset },
    { for k, v in { config = var.inference_config_map } : k => v if v != null },
    { for k, v in { adapters = local.adapters } : k => v if length(v) > 0 },
  )

  manifest = {
    apiVersion = "kaito.sh/v1beta1"
    kind       = "Workspace"
    metadata = merge(
      {
        name      = var.name
        namespace = var.namespace
        labels    = local.labels
      },
      { for k, v in { annotations = local.annotations } : k => v if length(v) > 0 },
    )
    resource  = local.resource
    inference = local.inference
  }
}
