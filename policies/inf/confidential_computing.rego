# METADATA
# title: AI workloads run in confidential computing, or are documented exceptions
# description: >-
#   Every workload of an AI namespace in evidence.kubernetes declares a confidential
#   runtimeClassName (one of thresholds.confidential.runtime_classes: Kata / Confidential
#   Containers on AMD SEV-SNP or Intel TDX, AKS confidential containers, enclave-cc), or is listed
#   in thresholds.confidential.exceptions with a reason. This is weak evidence, and the control
#   says so: a runtimeClass name in a manifest declares intent. It does not show that the nodes
#   have TEE hardware, that the RuntimeClass maps to a confidential handler, or that remote
#   attestation of the workload took place before secrets or model weights were released to
#   it; verified attestation results are needed for that, and the question stays partly attested
#   until then.
# custom:
#   severity: medium
#   questions: []
#   waivable: true
#   remediation: >-
#     Run the workload with runtimeClassName set to a confidential runtime (for example
#     kata-qemu-snp or kata-qemu-tdx with the Confidential Containers operator, or
#     kata-cc-isolation on AKS) and release keys only after attestation; or record why it does not
#     need one under thresholds.confidential.exceptions ({workload: namespace/name, reason}).
#   evidence: [kubernetes]
#   strength: measured
#   frameworks:
#     nist_ai_rmf: [MEASURE 2.7, MEASURE 2.10]
#     atlas: [AML.M0012, AML.T0025]
#     saif: [controlModelAndDataAccessControls, MXF]
package gatekeeper.controls.inf.confidential_computing

import rego.v1

import data.gatekeeper.lib.kubernetes

config := data.gatekeeper.config.confidential

documented_exceptions := {exception.workload |
	some exception in config.exceptions
	is_string(exception.reason)
	trim_space(exception.reason) != ""
}

confidential(workload) if workload.runtime_class in config.runtime_classes

runtime(workload) := sprintf("runtimeClassName: %s", [workload.runtime_class]) if {
	is_string(workload.runtime_class)
} else := "no runtimeClassName"

applicable if count(kubernetes.ai_workloads) > 0

deny contains kubernetes.entry(workload, "confidential", sprintf("runs without a confidential runtimeClass (%s) and is not a documented exception", [runtime(workload)])) if {
	some workload in kubernetes.ai_workloads
	not confidential(workload)
	not kubernetes.workload_id(workload) in documented_exceptions
}

deny contains sprintf("thresholds.confidential.exceptions: the exception for %v gives no reason", [object.get(exception, "workload", "?")]) if {
	some exception in config.exceptions
	not object.get(exception, "workload", null) in documented_exceptions
}

warn contains sprintf("thresholds.confidential.exceptions names %v, which is not a workload in the manifests", [name]) if {
	some name in documented_exceptions
	not name in {kubernetes.workload_id(w) | some w in kubernetes.ai_workloads}
}

details := {
	"confidential": [kubernetes.workload_id(w) | some w in kubernetes.ai_workloads; confidential(w)],
	"exceptions": [e | some e in config.exceptions; e.workload in documented_exceptions],
}
