variable "name" {
  type        = string
  description = "Workspace name: a DNS-1123 label (lower-case letters, digits, '-'; starts with a letter; at most 63 characters). Also the default Service name."

  validation {
    condition     = can(regex("^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$", var.name))
    error_message = "name must be a DNS-1123 label: lower-case letters, digits and '-', starting with a letter and ending with a letter or digit, at most 63 characters (e.g. \"phi-4-mini\")."
  }
}

variable "namespace" {
  type        = string
  description = "Namespace of the Workspace (must exist)."
  default     = "default"

  validation {
    condition     = can(regex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$", var.namespace))
    error_message = "namespace must be a DNS-1123 label: lower-case letters, digits and '-', at most 63 characters."
  }
}

variable "preset" {
  type        = string
  description = "Model preset: a KAITO preset name (e.g. \"phi-4-mini-instruct\") or a Hugging Face id KAITO serves with vLLM (e.g. \"microsoft/Phi-4-mini-instruct\")."

  validation {
    condition     = can(regex("^[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)?$", var.preset)) && length(var.preset) <= 128
    error_message = "preset must be a KAITO preset name or a Hugging Face id such as \"microsoft/Phi-4-mini-instruct\" (letters, digits, '.', '_', '-', at most one '/')."
  }
}

variable "instance_type" {
  type        = string
  description = "GPU VM size KAITO provisions (resource.instanceType). Retired or unsupported sizes (V100 NCv3, T4, M60) are rejected."
  default     = "Standard_NC24ads_A100_v4"

  validation {
    condition     = can(regex("^Standard_[A-Za-z0-9_]+$", var.instance_type))
    error_message = "instance_type must be an Azure GPU VM size such as \"Standard_NC24ads_A100_v4\"."
  }

  validation {
    condition = !anytrue([
      can(regex("(?i)^Standard_NC[0-9]+s_v3$", var.instance_type)),
      can(regex("(?i)^Standard_NC[0-9]+rs_v3$", var.instance_type)),
      can(regex("(?i)^Standard_ND40rs_v2$", var.instance_type)),
      can(regex("(?i)^Standard_NC[0-9]+as_T4_v3$", var.instance_type)),
      can(regex("(?i)^Standard_NV[0-9]+s_v3$", var.instance_type)),
      can(regex("(?i)^Standard_NC[0-9]+(r|s_v2)?$", var.instance_type)),
    ])
    error_message = "instance_type is a retired or unsupported GPU size (V100 NCv3 was retired on 2025-09-30; KAITO v0.12 needs CUDA compute capability >= 8.0, so no T4 or M60). Use an A10, A100 or H100 size such as \"Standard_NV36ads_A10_v5\", \"Standard_NC24ads_A100_v4\" or \"Standard_NC40ads_H100_v5\"."
  }
}

variable "node_count" {
  type        = number
  description = "resource.count: GPU nodes to provision. Deprecated in kaito.sh/v1beta1 (KAITO derives it from the model); null leaves it out."
  default     = null

  validation {
    condition     = var.node_count == null || (coalesce(var.node_count, 1) >= 1 && coalesce(var.node_count, 1) <= 64 && floor(coalesce(var.node_count, 1)) == coalesce(var.node_count, 1))
    error_message = "node_count must be a whole number from 1 to 64, or null."
  }
}

variable "label_selector" {
  type        = map(string)
  description = "resource.labelSelector.matchLabels for the GPU nodes. Null uses { apps = <name> }."
  default     = null

  validation {
    condition     = var.label_selector == null || length(coalesce(var.label_selector, { x = "x" })) > 0
    error_message = "label_selector must have at least one label, or be null for { apps = <name> }."
  }
}

variable "adapters" {
  type = list(object({
    name               = string
    image              = string
    image_pull_secrets = optional(list(string), [])
    strength           = optional(string)
  }))
  description = "LoRA adapters (inference.adapters): name (DNS-1123 label), image holding the adapter under /data, optional pull secrets and strength (\"0.0\"-\"1.0\", honoured by the transformers runtime)."
  default     = []

  validation {
    condition     = alltrue([for a in var.adapters : can(regex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$", a.name))])
    error_message = "every adapters[*].name must be a DNS-1123 label (lower-case letters, digits and '-', at most 63 characters)."
  }

  validation {
    condition     = alltrue([for a in var.adapters : a.strength == null || can(regex("^(0(\\.[0-9]+)?|1(\\.0+)?)$", coalesce(a.strength, "1")))])
    error_message = "adapters[*].strength must be a decimal string from \"0.0\" to \"1.0\"."
  }

  validation {
    condition     = length(distinct([for a in var.adapters : a.name])) == length(var.adapters)
    error_message = "adapters[*].name must be unique."
  }
}

variable "runtime" {
  type        = string
  description = "Inference runtime: \"vllm\" (default, OpenAI-compatible /v1/chat/completions) or \"transformers\" (sets the kaito.sh/runtime annotation)."
  default     = "vllm"

  validation {
    condition     = contains(["vllm", "transformers"], var.runtime)
    error_message = "runtime must be \"vllm\" or \"transformers\"."
  }
}

variable "model_access_secret" {
  type        = string
  description = "Name of a Secret in the namespace with key HF_TOKEN (inference.preset.presetOptions.modelAccessSecret). Required for gated models such as Llama."
  default     = null

  validation {
    condition     = var.model_access_secret == null || can(regex("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$", coalesce(var.model_access_secret, "x")))
    error_message = "model_access_secret must be a Secret name (DNS-1123 subdomain: lower-case letters, digits, '-' and '.')."
  }
}

variable "inference_config_map" {
  type        = string
  description = "Name of a ConfigMap holding inference_config.yaml (inference.config), or null for KAITO's defaults."
  default     = null

  validation {
    condition     = var.inference_config_map == null || can(regex("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$", coalesce(var.inference_config_map, "x")))
    error_message = "inference_config_map must be a ConfigMap name (DNS-1123 subdomain)."
  }
}

variable "kubernetes_id" {
  type        = string
  description = "Value of the backstage.io/kubernetes-id label (links the Workspace to its catalog entity). Null uses the name."
  default     = null

  validation {
    condition     = var.kubernetes_id == null || can(regex("^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$", coalesce(var.kubernetes_id, "x")))
    error_message = "kubernetes_id must be a valid label value: at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit."
  }
}

variable "labels" {
  type        = map(string)
  description = "Extra labels on the Workspace."
  default     = {}
}

variable "annotations" {
  type        = map(string)
  description = "Extra annotations on the Workspace (kaito.sh/runtime is set from runtime)."
  default     = {}
}

variable "wait_for_ready" {
  type        = bool
  description = "Make terraform apply wait until the Workspace reports InferenceReady=True."
  default     = false
}

variable "ready_timeout" {
  type        = string
  description = "How long apply waits for readiness when wait_for_ready is true (GPU node provisioning and weight download can take 30+ minutes)."
  default     = "60m"

  validation {
    condition     = can(regex("^[0-9]+(s|m|h)$", var.ready_timeout))
    error_message = "ready_timeout must be a duration such as \"45m\" or \"2h\"."
  }
}
