package gatekeeper.controls.inf.gpu_pools_isolated_test

import rego.v1

import data.gatekeeper.controls.inf.gpu_pools_isolated

container(resources) := {
	"name": "trainer", "kind": "container", "image": "registry/trainer@sha256:aa", "privileged": false,
	"allow_privilege_escalation": false, "capabilities_add": [], "resources": resources,
}

gpu_toleration := {"key": "nvidia.com/gpu", "operator": "Exists", "value": null, "effect": "NoSchedule"}

workload(name, resources, tolerations, selector) := {
	"kind": "Job", "name": name, "namespace": "ml", "file": "k8s/job.yaml", "line": 1,
	"pod_labels": {}, "host_network": false, "host_pid": false, "host_ipc": false, "runtime_class": null,
	"node_selector": selector, "required_node_affinity": [], "tolerations": tolerations,
	"containers": [container(resources)],
}

pool := {"cloud.google.com/gke-accelerator": "nvidia-l4"}

isolated := workload("trainer", {"nvidia.com/gpu": "1"}, [gpu_toleration], pool)

manifests(workloads) := {"kubernetes": {"files": [], "workloads": workloads, "network_policies": []}}

test_pass_when_the_gpu_job_tolerates_the_taint_and_selects_the_pool if {
	gpu_pools_isolated.applicable with input as manifests([isolated])
	denied := gpu_pools_isolated.deny with input as manifests([isolated])
	count(denied) == 0
	gpu_pools_isolated.details.gpu_workloads == [{"workload": "ml/trainer", "accelerators": ["nvidia.com/gpu"]}] with input as manifests([isolated])
}

test_mig_slices_and_required_affinity_count if {
	affinity := {"key": "nvidia.com/gpu.product", "operator": "In", "values": ["A100-SXM4-40GB"]}
	mig := object.union(workload("mig", {"nvidia.com/mig-1g.5gb": "1"}, [gpu_toleration], {}), {"required_node_affinity": [affinity]})
	denied := gpu_pools_isolated.deny with input as manifests([mig])
	count(denied) == 0
	details := gpu_pools_isolated.details with input as manifests([mig])
	details.gpu_workloads[0].accelerators == ["nvidia.com/mig-1g.5gb"]
}

test_fail_without_toleration_or_pool_selection if {
	bare := workload("trainer", {"nvidia.com/gpu": "2"}, [], {})
	denied := gpu_pools_isolated.deny with input as manifests([bare])
	findings := {entry.finding | some entry in denied}
	findings == {"ml/trainer:gpu-toleration", "ml/trainer:gpu-pool"}
}

test_fail_when_the_selector_key_is_not_a_pool_label if {
	other := workload("trainer", {"nvidia.com/gpu": "1"}, [gpu_toleration], {"disktype": "ssd"})
	denied := gpu_pools_isolated.deny with input as manifests([other])
		with data.gatekeeper.config.gpu.node_selector_keys as ["cloud.google.com/gke-accelerator"]
	count(denied) == 1
}

test_fail_when_a_cpu_workload_tolerates_the_gpu_taint if {
	web := workload("web", {}, [gpu_toleration], {})
	denied := gpu_pools_isolated.deny with input as manifests([isolated, web])
	some entry in denied
	entry.finding == "ml/web:gpu-shared"
}

test_daemonsets_may_tolerate_the_gpu_taint if {
	agent := object.union(workload("dcgm-exporter", {}, [gpu_toleration], {}), {"kind": "DaemonSet"})
	denied := gpu_pools_isolated.deny with input as manifests([isolated, agent])
	count(denied) == 0
}

test_warn_on_a_blanket_toleration if {
	blanket := workload("web", {}, [{"key": null, "operator": "Exists", "value": null, "effect": null}], {})
	warned := gpu_pools_isolated.warn with input as manifests([isolated, blanket])
	count(warned) == 1
}

test_no_evidence_without_gpu_workloads if {
	not gpu_pools_isolated.applicable with input as {}
	not gpu_pools_isolated.applicable with input as manifests([workload("web", {"cpu": "1"}, [], {})])
}
