resource "kubernetes_manifest" "workspace" {
  manifest = local.manifest

  field_manager {
    name            = "terraform-kaito"
    force_conflicts = false
  }

  # KAITO's webhook defaults resource.count when it is not set; accept the server's value then.
  computed_fields = concat(
    ["metadata.labels", "metadata.annotations"],
    var.node_count == null ? ["resource.count"] : [],
  )

  dynamic "wait" {
    for_each = var.wait_for_ready ? [1] : []
    content {
      condition {
        type   = "InferenceReady"
        status = "True"
      }
    }
  }

  timeouts {
    create = var.ready_timeout
    update = var.ready_timeout
    delete = "30m"
  }
}
