# METADATA
# title: Labeling batches carry canary or watermarked records that alert on a leak
# description: >-
#   The system manifest's labeling section declares canary data: canary records (at least
#   ai_system.min_canaries_per_batch per labeling batch) or watermarking, and the declared
#   incident contact alerted when one surfaces outside the labeling environment. Declared, not
#   measured: the control requires the method, the rate and the alert route; the leak-detection
#   pipeline must implement them.
# custom:
#   severity: medium
#   questions: [HIL-Q3]
#   waivable: true
#   applies_to: [training-pipeline]
#   remediation: >-
#     Seed every labeling batch with unique canary records (or watermark exported data), watch
#     for them outside the labeling environment (search, paste sites, model outputs), and
#     declare labeling.canaries with method, per_batch and alert_route.
#   evidence: [manifest]
#   strength: declared
#   frameworks:
#     nist_ai_rmf: [MEASURE 2.10, MANAGE 4.1]
#     owasp_llm: [LLM02:2025]
#     atlas: [AML.T0025, AML.T0035]
#     saif: [SDD, controlTrainingDataManagement]
package gatekeeper.controls.hil.canary_data_in_labeling

import rego.v1

import data.gatekeeper.lib.manifest

canaries := object.get(object.get(manifest.declared, "labeling", {}), "canaries", {})

applicable if input.manifest

deny contains manifest.entry(msg, "labeling:canaries") if {
	count(canaries) == 0
	msg := "labeling uses no canary or watermarked data (labeling.canaries)"
}

deny contains manifest.entry(msg, "labeling:canaries:rate") if {
	canaries.method == "canary_records"
	rate := object.get(canaries, "per_batch", 0)
	rate < manifest.config.min_canaries_per_batch
	msg := sprintf("%d canary records per batch; at least %d", [rate, manifest.config.min_canaries_per_batch])
}

deny contains manifest.entry(msg, "labeling:canaries:alert") if {
	count(canaries) > 0
	not manifest.routed(canaries)
	msg := "a surfaced canary alerts no declared incident contact (labeling.canaries.alert_route)"
}
