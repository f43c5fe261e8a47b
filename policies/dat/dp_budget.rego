# METADATA
# title: Differential privacy budget within limits and documented
# description: >-
#   A model trained with differential privacy reports its epsilon (dp_epsilon) at or below
#   thresholds.privacy.max_dp_epsilon, its delta (dp_delta) at or below
#   thresholds.privacy.max_dp_delta, and the utility trade-off: a dp_utility metric with the
#   utility of the model trained without DP as its baseline.
# custom:
#   severity: high
#   questions: [DAT-Q4]
#   waivable: true
#   applies_to: [training-pipeline]
#   remediation: >-
#     Record the DP accountant's epsilon and delta (for example from Opacus or TensorFlow
#     Privacy) and the utility with and without DP in the metrics file (dp_epsilon, dp_delta,
#     dp_utility with baseline); retrain with more noise or fewer epochs if epsilon is too high.
#   evidence: [metrics, sbom]
#   strength: declared
#   frameworks:
#     nist_ai_rmf: [MEASURE 2.10]
#     owasp_llm: [LLM02:2025]
#     atlas: [AML.T0024.000, AML.T0024.001]
#     saif: [controlPrivacyEnhancingTechnologies, SDD]
package gatekeeper.controls.dat.dp_budget

import rego.v1

import data.gatekeeper.lib.evals

cfg := data.gatekeeper.config.privacy

applicable if count(evals.named("dp_epsilon")) > 0

deny contains evals.metric_entry(metric, msg) if {
	some metric in evals.named("dp_epsilon")
	metric.value > cfg.max_dp_epsilon
	msg := sprintf("DP epsilon %v is above the budget %v", [metric.value, cfg.max_dp_epsilon])
}

deny contains evals.metric_entry(metric, msg) if {
	some metric in evals.named("dp_delta")
	metric.value > cfg.max_dp_delta
	msg := sprintf("DP delta %v is above the maximum %v", [metric.value, cfg.max_dp_delta])
}

deny contains {"msg": "DP epsilon is reported without its delta (dp_delta)", "finding": "dp:delta"} if {
	applicable
	count(evals.named("dp_delta")) == 0
}

deny contains {"msg": msg, "finding": "dp:utility"} if {
	applicable
	not utility_documented
	msg := "the DP utility trade-off is not documented (a dp_utility metric with the non-DP baseline)"
}

utility_documented if {
	some metric in evals.named("dp_utility")
	is_number(metric.baseline)
}

details := {"dp": [{"name": m.name, "value": m.value, "baseline": object.get(m, "baseline", null)} |
	some m in evals.metrics
	startswith(m.name, "dp_")
]}
