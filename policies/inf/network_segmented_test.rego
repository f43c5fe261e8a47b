package gatekeeper.controls.inf.network_segmented_test

import rego.v1

import data.gatekeeper.controls.inf.network_segmented

workload := {
	"kind": "Deployment", "name": "scorer", "namespace": "ml", "file": "k8s/deploy.yaml", "line": 1,
	"pod_labels": {"app": "scorer", "tier": "model"}, "host_network": false, "host_pid": false,
	"host_ipc": false, "runtime_class": null, "node_selector": {}, "required_node_affinity": [],
	"tolerations": [], "containers": [],
}

selector(labels) := {"match_labels": labels, "match_expressions": []}

dns_rule := {"peers": [{"namespace_selector": selector({"kubernetes.io/metadata.name": "kube-system"})}], "ports": [{"port": "53", "protocol": "UDP"}]}

policy(name, types, egress) := {
	"name": name, "namespace": "ml", "file": "k8s/np.yaml", "line": 1,
	"pod_selector": selector({"app": "scorer"}), "policy_types": types,
	"ingress": [{"peers": [{"pod_selector": selector({"app": "gateway"})}], "ports": []}], "egress": egress,
}

manifests(workloads, policies) := {"kubernetes": {"files": [], "workloads": workloads, "network_policies": policies}}

segmented := manifests([workload], [policy("scorer", ["Ingress", "Egress"], [dns_rule])])

test_pass_when_ingress_and_egress_are_restricted if {
	network_segmented.applicable with input as segmented
	denied := network_segmented.deny with input as segmented
	count(denied) == 0
}

test_match_expressions_select_pods if {
	expression := {"match_labels": {}, "match_expressions": [
		{"key": "app", "operator": "In", "values": ["scorer", "other"]},
		{"key": "tier", "operator": "Exists", "values": []},
		{"key": "debug", "operator": "DoesNotExist", "values": []},
		{"key": "tier", "operator": "NotIn", "values": ["web"]},
	]}
	np := object.union(policy("scorer", ["Ingress", "Egress"], [dns_rule]), {"pod_selector": expression})
	denied := network_segmented.deny with input as manifests([workload], [np])
	count(denied) == 0
}

test_fail_without_an_egress_policy if {
	denied := network_segmented.deny with input as manifests([workload], [policy("scorer", ["Ingress"], [])])
	some entry in denied
	entry.finding == "ml/scorer:egress"
	contains(entry.msg, "no NetworkPolicy restricts its egress")
}

test_fail_when_egress_is_open_to_any_destination if {
	open := {"peers": [{"ip_block": {"cidr": "0.0.0.0/0", "except": []}}], "ports": []}
	denied := network_segmented.deny with input as manifests([workload], [policy("scorer", ["Ingress", "Egress"], [open])])
	some entry in denied
	contains(entry.msg, "NetworkPolicy scorer allows egress to any destination")
}

test_fail_when_an_egress_rule_names_no_destination if {
	denied := network_segmented.deny with input as manifests([workload], [policy("scorer", ["Ingress", "Egress"], [{"peers": [], "ports": []}])])
	count(denied) == 1
}

test_fail_when_the_policy_selects_other_pods if {
	np := object.union(policy("scorer", ["Ingress", "Egress"], [dns_rule]), {"pod_selector": selector({"app": "other"})})
	denied := network_segmented.deny with input as manifests([workload], [np])
	count(denied) == 2
}

test_fail_when_the_policy_is_in_another_namespace if {
	np := object.union(policy("scorer", ["Ingress", "Egress"], [dns_rule]), {"namespace": "default"})
	denied := network_segmented.deny with input as manifests([workload], [np])
	count(denied) == 2
}

test_fail_on_host_network if {
	host := object.union(workload, {"host_network": true})
	denied := network_segmented.deny with input as manifests([host], [policy("scorer", ["Ingress", "Egress"], [dns_rule])])
	some entry in denied
	entry.finding == "ml/scorer:host-network"
}

test_only_ai_namespaces_count if {
	other := object.union(workload, {"namespace": "tools"})
	denied := network_segmented.deny with input as manifests([workload, other], [policy("scorer", ["Ingress", "Egress"], [dns_rule])])
		with data.gatekeeper.config.kubernetes.ai_namespaces as ["ml"]
	count(denied) == 0
}

test_warn_on_ingress_from_anywhere if {
	np := object.union(policy("scorer", ["Ingress", "Egress"], [dns_rule]), {"ingress": [{"peers": [], "ports": []}]})
	warned := network_segmented.warn with input as manifests([workload], [np])
	count(warned) == 1
}

test_no_evidence_without_workloads if {
	not network_segmented.applicable with input as {}
	not network_segmented.applicable with input as manifests([], [])
	not network_segmented.applicable with input as segmented with data.gatekeeper.config.kubernetes.ai_namespaces as ["elsewhere"]
}
