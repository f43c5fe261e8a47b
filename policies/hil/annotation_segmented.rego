# METADATA
# title: Annotation environments are network-segmented with strict egress
# description: >-
#   Every workload of the namespaces that run annotation and labeling tools
#   (thresholds.kubernetes.annotation_namespaces, e.g. a Label Studio or CVAT deployment) is
#   selected by NetworkPolicies of its namespace that restrict its ingress and its egress, with
#   no egress rule open to any destination (thresholds.network.open_cidrs) and no host network:
#   labelers see raw training data, and a segmented environment with strict egress keeps it from
#   leaving. Applicable only when annotation namespaces are declared and the manifests
#   (evidence.kubernetes) hold workloads in them; annotator vetting and least-privilege access
#   inside the labeling tool are not visible in manifests.
# custom:
#   severity: medium
#   questions: [HIL-Q2]
#   waivable: true
#   applies_to: [training-pipeline]
#   remediation: >-
#     Run the labeling tool in its own namespace with a NetworkPolicy (policyTypes [Ingress,
#     Egress]) that admits only the SSO proxy and lets it reach only the dataset store, and list
#     that namespace under thresholds.kubernetes.annotation_namespaces.
#   evidence: [kubernetes]
#   strength: measured
#   frameworks:
#     nist_ai_rmf: [MEASURE 2.10, MEASURE 2.7]
#     atlas: [AML.T0025]
#     saif: [controlTrainingDataManagement, controlModelAndDataAccessControls]
package gatekeeper.controls.hil.annotation_segmented

import rego.v1

import data.gatekeeper.lib.kubernetes

annotation_namespaces := data.gatekeeper.config.kubernetes.annotation_namespaces

annotation_workloads := kubernetes.workloads_in({ns | some ns in annotation_namespaces})

applicable if count(annotation_workloads) > 0

deny contains kubernetes.entry(workload, problem.topic, problem.msg) if {
	some workload in annotation_workloads
	some problem in kubernetes.segmentation_problems(workload)
}
