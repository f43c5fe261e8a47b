package gatekeeper.controls.hil.annotation_segmented_test

import rego.v1

import data.gatekeeper.controls.hil.annotation_segmented

workload := {
	"kind": "Deployment", "name": "label-studio", "namespace": "labeling", "file": "k8s/labeling.yaml", "line": 1,
	"pod_labels": {"app": "label-studio"}, "host_network": false, "host_pid": false, "host_ipc": false,
	"runtime_class": null, "node_selector": {}, "required_node_affinity": [], "tolerations": [], "containers": [],
}

policy(egress) := {
	"name": "label-studio", "namespace": "labeling", "file": "k8s/labeling.yaml", "line": 20,
	"pod_selector": {"match_labels": {"app": "label-studio"}, "match_expressions": []},
	"policy_types": ["Ingress", "Egress"], "ingress": [{"peers": [{"pod_selector": {"match_labels": {"app": "sso-proxy"}, "match_expressions": []}}], "ports": []}],
	"egress": egress,
}

store := {"peers": [{"ip_block": {"cidr": "10.20.0.0/16", "except": []}}], "ports": [{"port": "443", "protocol": "TCP"}]}

manifests(policies) := {"kubernetes": {"files": [], "workloads": [workload], "network_policies": policies}}

test_pass_when_the_labeling_namespace_is_segmented if {
	annotation_segmented.applicable with input as manifests([policy([store])])
		with data.gatekeeper.config.kubernetes.annotation_namespaces as ["labeling"]
	denied := annotation_segmented.deny with input as manifests([policy([store])])
		with data.gatekeeper.config.kubernetes.annotation_namespaces as ["labeling"]
	count(denied) == 0
}

test_fail_when_egress_is_open if {
	open := {"peers": [{"ip_block": {"cidr": "::/0", "except": []}}], "ports": []}
	denied := annotation_segmented.deny with input as manifests([policy([store, open])])
		with data.gatekeeper.config.kubernetes.annotation_namespaces as ["labeling"]
	some entry in denied
	entry.finding == "labeling/label-studio:egress"
}

test_fail_without_network_policies if {
	denied := annotation_segmented.deny with input as manifests([])
		with data.gatekeeper.config.kubernetes.annotation_namespaces as ["labeling"]
	count(denied) == 2
}

test_no_evidence_unless_annotation_namespaces_are_declared if {
	not annotation_segmented.applicable with input as manifests([policy([store])])
	not annotation_segmented.applicable with input as {} with data.gatekeeper.config.kubernetes.annotation_namespaces as ["labeling"]
}
