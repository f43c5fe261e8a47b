# METADATA
# title: Every AI workload is network-segmented with restricted egress
# description: >-
#   In the Kubernetes manifests of the release (evidence.kubernetes), every workload of an AI
#   namespace (thresholds.kubernetes.ai_namespaces; by default every namespace with a workload)
#   has its pods selected by a NetworkPolicy of its namespace that restricts ingress and by one
#   that restricts egress, no selecting policy opens egress to any destination (a rule without
#   'to', or a CIDR in thresholds.network.open_cidrs), and no pod uses the host network, which
#   NetworkPolicies do not cover. This reads the manifests as committed: that the cluster runs a
#   CNI that enforces NetworkPolicies, and that nothing else was applied, is not visible here.
# custom:
#   severity: high
#   questions: [INF-Q1]
#   waivable: true
#   remediation: >-
#     Add a NetworkPolicy per AI namespace with policyTypes [Ingress, Egress] that selects the
#     workload's pods, allows ingress only from the gateway and egress only to the services the
#     workload needs (DNS, the model store), and never to 0.0.0.0/0.
#   evidence: [kubernetes]
#   strength: measured
#   frameworks:
#     nist_ai_rmf: [MEASURE 2.7, MANAGE 2.4]
#     atlas: [AML.T0025, AML.M0032]
#     saif: [controlModelAndDataAccessControls, MXF]
package gatekeeper.controls.inf.network_segmented

import rego.v1

import data.gatekeeper.lib.kubernetes

applicable if count(kubernetes.ai_workloads) > 0

deny contains kubernetes.entry(workload, problem.topic, problem.msg) if {
	some workload in kubernetes.ai_workloads
	some problem in kubernetes.segmentation_problems(workload)
}

warn contains sprintf("%s: NetworkPolicy %s admits ingress from any source", [kubernetes.describe(workload), name]) if {
	some workload in kubernetes.ai_workloads
	some name in kubernetes.open_ingress(workload)
}

details := {"workloads": [{"workload": kubernetes.workload_id(w), "egress_policies": [p.name | some p in kubernetes.selecting(w, "Egress")]} | some w in kubernetes.ai_workloads]}
