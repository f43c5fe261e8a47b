# Helpers for controls that read Kubernetes manifests (input.kubernetes) and Dockerfiles.
package gatekeeper.lib.kubernetes

import rego.v1

workloads := object.get(input, ["kubernetes", "workloads"], [])

network_policies := object.get(input, ["kubernetes", "network_policies"], [])

configured_namespaces := data.gatekeeper.config.kubernetes.ai_namespaces

open_cidrs := data.gatekeeper.config.network.open_cidrs

gpu_resources := data.gatekeeper.config.gpu.resources

# The namespaces AI workloads run in: the configured list, else every namespace that has a
# workload in the collected manifests.
ai_namespaces := {ns | some ns in configured_namespaces} if {
	count(configured_namespaces) > 0
} else := {w.namespace | some w in workloads}

ai_workloads := [w | some w in workloads; w.namespace in ai_namespaces]

# Workloads of the given namespaces (e.g. the annotation namespaces of HIL controls).
workloads_in(namespaces) := [w | some w in workloads; w.namespace in namespaces]

# "Deployment ml-serving/sentiment-scorer"
describe(workload) := sprintf("%s %s/%s", [workload.kind, workload.namespace, workload.name])

# "ml-serving/sentiment-scorer": how exceptions and thresholds name a workload.
workload_id(workload) := sprintf("%s/%s", [workload.namespace, workload.name])

# A deny entry about one workload, with a finding key exceptions can target.
entry(workload, topic, msg) := {
	"msg": sprintf("%s: %s", [describe(workload), msg]),
	"finding": sprintf("%s:%s", [workload_id(workload), topic]),
	"file": workload.file,
	"line": workload.line,
}

# Kubernetes label selector semantics: every matchLabels pair and every expression holds.
selects(selector, labels) if {
	every key, value in selector.match_labels {
		labels[key] == value
	}
	every expression in selector.match_expressions {
		requirement_holds(expression, labels)
	}
}

requirement_holds(requirement, labels) if {
	requirement.operator == "In"
	labels[requirement.key] in requirement.values
}

requirement_holds(requirement, labels) if {
	requirement.operator == "NotIn"
	not labels[requirement.key] in requirement.values
}

requirement_holds(requirement, labels) if {
	requirement.operator == "Exists"
	labels[requirement.key]
}

requirement_holds(requirement, labels) if {
	requirement.operator == "DoesNotExist"
	not labels[requirement.key]
}

# The NetworkPolicies of a workload's namespace that select its pods for a policy type.
selecting(workload, policy_type) := [policy |
	some policy in network_policies
	policy.namespace == workload.namespace
	policy_type in policy.policy_types
	selects(policy.pod_selector, workload.pod_labels)
]

# An egress rule open to everywhere: no destination listed, or a CIDR such as 0.0.0.0/0.
open_rule(rule) if count(rule.peers) == 0

open_rule(rule) if {
	some peer in rule.peers
	peer.ip_block.cidr in open_cidrs
}

# Why a workload's network is not segmented; empty when it is.
segmentation_problems(workload) := problems if {
	egress := selecting(workload, "Egress")
	ingress := selecting(workload, "Ingress")
	problems := array.concat(
		array.concat(
			[{"topic": "host-network", "msg": "uses the host network, which NetworkPolicies do not cover"} | workload.host_network],
			[{"topic": "egress", "msg": "no NetworkPolicy restricts its egress"} | count(egress) == 0],
		),
		array.concat(
			[{"topic": "ingress", "msg": "no NetworkPolicy restricts its ingress"} | count(ingress) == 0],
			[{"topic": "egress", "msg": sprintf("NetworkPolicy %s allows egress to any destination", [policy.name])} |
				some policy in egress
				some rule in policy.egress
				open_rule(rule)
			],
		),
	)
}

# Ingress rules that admit any source (reported, not blocking: a gateway may need them).
open_ingress(workload) := [policy.name |
	some policy in selecting(workload, "Ingress")
	some rule in policy.ingress
	count(rule.peers) == 0
]

# True when the image reference carries a sha256 digest.
pinned_by_digest(image) if regex.match(`@sha256:[0-9a-f]{64}$`, image)

# Extended resources of a container that are accelerators (nvidia.com/gpu, MIG slices...).
accelerators(container) := [name |
	some name, _ in container.resources
	some prefix in gpu_resources
	startswith(name, prefix)
]

requests_accelerator(workload) if {
	some container in workload.containers
	count(accelerators(container)) > 0
}
