package gatekeeper.controls.inf.confidential_computing_test

import rego.v1

import data.gatekeeper.controls.inf.confidential_computing

workload(name, runtime_class) := {
	"kind": "Deployment", "name": name, "namespace": "ml", "file": "k8s/deploy.yaml", "line": 1,
	"pod_labels": {}, "host_network": false, "host_pid": false, "host_ipc": false,
	"runtime_class": runtime_class, "node_selector": {}, "required_node_affinity": [],
	"tolerations": [], "containers": [],
}

manifests(workloads) := {"kubernetes": {"files": [], "workloads": workloads, "network_policies": []}}

test_pass_with_a_confidential_runtime_class if {
	confidential_computing.applicable with input as manifests([workload("scorer", "kata-qemu-snp")])
	denied := confidential_computing.deny with input as manifests([workload("scorer", "kata-qemu-snp")])
	count(denied) == 0
}

test_pass_with_a_documented_exception if {
	exceptions := [{"workload": "ml/scorer", "reason": "public data only; no TEE nodes in this region"}]
	denied := confidential_computing.deny with input as manifests([workload("scorer", null)])
		with data.gatekeeper.config.confidential.exceptions as exceptions
	count(denied) == 0
	details := confidential_computing.details with input as manifests([workload("scorer", null)])
		with data.gatekeeper.config.confidential.exceptions as exceptions
	details.exceptions == exceptions
}

test_fail_on_a_plain_runtime if {
	denied := confidential_computing.deny with input as manifests([workload("scorer", "runc")])
	some entry in denied
	entry.finding == "ml/scorer:confidential"
	contains(entry.msg, "runtimeClassName: runc")
}

test_fail_on_an_exception_without_a_reason if {
	denied := confidential_computing.deny with input as manifests([workload("scorer", null)])
		with data.gatekeeper.config.confidential.exceptions as [{"workload": "ml/scorer", "reason": " "}]
	count(denied) == 2
}

test_warn_on_an_exception_for_an_unknown_workload if {
	warned := confidential_computing.warn with input as manifests([workload("scorer", "kata-qemu-tdx")])
		with data.gatekeeper.config.confidential.exceptions as [{"workload": "ml/gone", "reason": "retired"}]
	count(warned) == 1
}

test_no_evidence_without_workloads if {
	not confidential_computing.applicable with input as {}
	not confidential_computing.applicable with input as manifests([])
}
