# METADATA
# title: GPU workloads run only on a dedicated, tainted GPU node pool
# description: >-
#   In evidence.kubernetes, every workload that requests an accelerator (a resource in
#   thresholds.gpu.resources: nvidia.com/gpu, MIG slices nvidia.com/mig-*, amd.com/gpu) tolerates
#   a GPU pool taint (thresholds.gpu.taint_keys) and pins itself to that pool with a nodeSelector
#   or required node affinity (on thresholds.gpu.node_selector_keys when set), and no other
#   workload (DaemonSets aside: node agents run everywhere) tolerates the GPU taint, so the GPU
#   nodes are not shared with general workloads. Applicable when a workload requests or
#   tolerates GPUs. What manifests cannot show: the taint on the node pool itself (set in the
#   cloud or Terraform configuration), MIG partitioning of the nodes, and VRAM scrubbing between
#   tenants -- those stay attested.
# custom:
#   severity: medium
#   questions: [INF-Q2]
#   waivable: true
#   applies_to: [llm-app, rag, agent, training-pipeline]
#   remediation: >-
#     Taint the GPU node pool (nvidia.com/gpu=present:NoSchedule), give GPU workloads the
#     matching toleration and a nodeSelector for the pool (for example
#     cloud.google.com/gke-accelerator), request MIG slices instead of whole GPUs where tenants
#     share a GPU, and remove the GPU toleration from workloads that need no GPU.
#   evidence: [kubernetes]
#   strength: measured
#   frameworks:
#     nist_ai_rmf: [MEASURE 2.7]
#     atlas: [AML.T0105, AML.T0025]
#     saif: [controlModelAndDataAccessControls, MXF]
package gatekeeper.controls.inf.gpu_pools_isolated

import rego.v1

import data.gatekeeper.lib.kubernetes

config := data.gatekeeper.config.gpu

gpu_workloads := [w | some w in kubernetes.workloads; kubernetes.requests_accelerator(w)]

tolerates_gpu_taint(workload) if {
	some toleration in workload.tolerations
	toleration.key in config.taint_keys
	toleration.effect in [null, "NoSchedule", "NoExecute"]
}

tolerates_every_taint(workload) if {
	some toleration in workload.tolerations
	toleration.key == null
	toleration.operator == "Exists"
}

selects_pool(workload) if {
	count(config.node_selector_keys) == 0
	count(workload.node_selector) > 0
}

selects_pool(workload) if {
	some key, _ in workload.node_selector
	key in config.node_selector_keys
}

selects_pool(workload) if {
	some requirement in workload.required_node_affinity
	requirement.operator in ["In", "Exists"]
	pool_key(requirement.key)
}

pool_key(_) if count(config.node_selector_keys) == 0

pool_key(key) if key in config.node_selector_keys

applicable if count(gpu_workloads) > 0

applicable if {
	some workload in kubernetes.workloads
	tolerates_gpu_taint(workload)
}

deny contains kubernetes.entry(workload, "gpu-toleration", sprintf("requests %s but tolerates no GPU pool taint (%s), so the pool cannot be tainted against other workloads", [concat(", ", accelerators(workload)), concat(", ", config.taint_keys)])) if {
	some workload in gpu_workloads
	not tolerates_gpu_taint(workload)
}

deny contains kubernetes.entry(workload, "gpu-pool", sprintf("requests %s without a nodeSelector or required node affinity for the GPU pool", [concat(", ", accelerators(workload))])) if {
	some workload in gpu_workloads
	not selects_pool(workload)
}

deny contains kubernetes.entry(workload, "gpu-shared", "requests no GPU but tolerates the GPU pool taint, so it can share the GPU nodes") if {
	some workload in kubernetes.workloads
	workload.kind != "DaemonSet"
	not kubernetes.requests_accelerator(workload)
	tolerates_gpu_taint(workload)
}

warn contains sprintf("%s: tolerates every taint (operator Exists without a key)", [kubernetes.describe(workload)]) if {
	some workload in kubernetes.workloads
	workload.kind != "DaemonSet"
	tolerates_every_taint(workload)
}

accelerators(workload) := sort({name |
	some container in workload.containers
	some name in kubernetes.accelerators(container)
})

details := {"gpu_workloads": [{"workload": kubernetes.workload_id(w), "accelerators": accelerators(w)} | some w in gpu_workloads]}
