# METADATA
# title: No privileged pods, host namespaces or privilege escalation in AI namespaces
# description: >-
#   No workload of an AI namespace (thresholds.kubernetes.ai_namespaces; by default every
#   namespace with a workload in evidence.kubernetes) runs a privileged container, shares the
#   host's network, PID or IPC namespace, sets allowPrivilegeEscalation to true, or adds a
#   capability listed in thresholds.privileged.forbidden_capabilities. Each of these lets a
#   compromised model server leave its namespace: reach the node, the other tenants' pods and,
#   with hostNetwork, bypass NetworkPolicies, so the segmentation of INF-Q1 only holds without
#   them. A container that leaves allowPrivilegeEscalation unset gets a warning (the Kubernetes
#   default allows it for non-root processes).
# custom:
#   severity: high
#   questions: [INF-Q1]
#   waivable: true
#   remediation: >-
#     Remove privileged, hostNetwork, hostPID and hostIPC, set
#     securityContext.allowPrivilegeEscalation to false and drop all capabilities in every
#     container; enforce the Pod Security Standard "restricted" on AI namespaces
#     (pod-security.kubernetes.io/enforce: restricted).
#   evidence: [kubernetes]
#   strength: measured
#   frameworks:
#     nist_ai_rmf: [MEASURE 2.7]
#     atlas: [AML.T0105]
#     saif: [controlSecureByDefaultMLTooling, MDT]
package gatekeeper.controls.inf.no_privileged_pods

import rego.v1

import data.gatekeeper.lib.kubernetes

forbidden_capabilities := data.gatekeeper.config.privileged.forbidden_capabilities

host_namespaces := {"host_network": "hostNetwork", "host_pid": "hostPID", "host_ipc": "hostIPC"}

applicable if count(kubernetes.ai_workloads) > 0

deny contains kubernetes.entry(workload, field, sprintf("shares the host namespace (%s: true)", [name])) if {
	some workload in kubernetes.ai_workloads
	some field, name in host_namespaces
	workload[field] == true
}

deny contains kubernetes.entry(workload, sprintf("%s:privileged", [container.name]), sprintf("container %s is privileged", [container.name])) if {
	some workload in kubernetes.ai_workloads
	some container in workload.containers
	container.privileged == true
}

deny contains kubernetes.entry(workload, sprintf("%s:escalation", [container.name]), sprintf("container %s allows privilege escalation", [container.name])) if {
	some workload in kubernetes.ai_workloads
	some container in workload.containers
	container.allow_privilege_escalation == true
}

deny contains kubernetes.entry(workload, sprintf("%s:cap-%s", [container.name, capability]), sprintf("container %s adds the capability %s", [container.name, capability])) if {
	some workload in kubernetes.ai_workloads
	some container in workload.containers
	some added in container.capabilities_add
	capability := upper(trim_prefix(upper(added), "CAP_"))
	capability in forbidden_capabilities
}

warn contains sprintf("%s: container %s leaves allowPrivilegeEscalation unset (set it to false)", [kubernetes.describe(workload), container.name]) if {
	some workload in kubernetes.ai_workloads
	some container in workload.containers
	container.allow_privilege_escalation == null
	not container.privileged
}
