package gatekeeper.controls.inf.no_privileged_pods_test

import rego.v1

import data.gatekeeper.controls.inf.no_privileged_pods

container := {
	"name": "scorer", "kind": "container", "image": "registry/scorer@sha256:aa", "privileged": false,
	"allow_privilege_escalation": false, "capabilities_add": [], "run_as_non_root": true, "resources": {},
}

workload(containers) := {
	"kind": "Deployment", "name": "scorer", "namespace": "ml", "file": "k8s/deploy.yaml", "line": 3,
	"pod_labels": {}, "host_network": false, "host_pid": false, "host_ipc": false, "runtime_class": null,
	"node_selector": {}, "required_node_affinity": [], "tolerations": [], "containers": containers,
}

manifests(workloads) := {"kubernetes": {"files": [], "workloads": workloads, "network_policies": []}}

test_pass_with_a_hardened_pod if {
	no_privileged_pods.applicable with input as manifests([workload([container])])
	denied := no_privileged_pods.deny with input as manifests([workload([container])])
	count(denied) == 0
	warned := no_privileged_pods.warn with input as manifests([workload([container])])
	count(warned) == 0
}

test_fail_on_a_privileged_container if {
	privileged := object.union(container, {"privileged": true, "kind": "init"})
	denied := no_privileged_pods.deny with input as manifests([workload([container, privileged])])
	some entry in denied
	entry.msg == "Deployment ml/scorer: container scorer is privileged"
	entry.finding == "ml/scorer:scorer:privileged"
	entry.line == 3
}

test_fail_on_host_namespaces if {
	host := object.union(workload([container]), {"host_pid": true, "host_network": true})
	denied := no_privileged_pods.deny with input as manifests([host])
	count(denied) == 2
}

test_fail_on_privilege_escalation_and_added_capabilities if {
	escalating := object.union(container, {"allow_privilege_escalation": true, "capabilities_add": ["CAP_SYS_ADMIN", "NET_BIND_SERVICE"]})
	denied := no_privileged_pods.deny with input as manifests([workload([escalating])])
	count(denied) == 2
}

test_warn_when_escalation_is_left_unset if {
	unset := object.union(container, {"allow_privilege_escalation": null})
	warned := no_privileged_pods.warn with input as manifests([workload([unset])])
	count(warned) == 1
}

test_no_evidence_without_workloads if {
	not no_privileged_pods.applicable with input as {}
	not no_privileged_pods.applicable with input as manifests([])
}
