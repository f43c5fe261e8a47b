# METADATA
# title: Behaviour SLOs for groundedness, refusal correctness and toxicity are defined and met
# description: >-
#   The system manifest declares an SLO for every metric in ai_system.behaviour_slos (by default
#   groundedness, refusal correctness and toxicity rate), each at least as strict as the
#   threshold's objective. Where the evidence has the measurement -- evaluation metrics of the
#   same name (input.evals.metrics, every slice) -- each measured value must meet the declared
#   objective. A declared SLO with no measurement in this release is no evidence that it is
#   met: the control fails, naming the metric.
# custom:
#   severity: high
#   questions: [APP-Q7]
#   waivable: true
#   applies_to: [llm-app, rag, agent]
#   remediation: >-
#     Declare slos in ai-system.yaml for groundedness, refusal_correctness and toxicity_rate with
#     objectives at least as strict as the thresholds, and ship the evaluation metrics that
#     measure them with the release (evidence.metrics).
#   evidence: [manifest, metrics]
#   strength: declared
#   frameworks:
#     nist_ai_rmf: [MEASURE 2.6, MEASURE 2.5, MEASURE 2.4, MANAGE 4.1]
#     owasp_llm: [LLM09:2025, LLM05:2025]
#     saif: [IMO, controlAdversarialTrainingAndTesting]
package gatekeeper.controls.app.behaviour_slos_met

import rego.v1

import data.gatekeeper.lib.manifest

required := manifest.config.behaviour_slos

required_metrics := {r.metric | some r in required}

applicable if input.manifest

deny contains manifest.entry(msg, sprintf("slo:%s:missing", [metric])) if {
	some metric in manifest.missing_slos(required)
	msg := sprintf("no SLO is declared for %s", [metric])
}

deny contains problem if {
	some slo in manifest.slos
	slo.metric in required_metrics
	some problem in manifest.slo_problems(slo, required)
}

deny contains manifest.entry(msg, sprintf("slo:%s:unmeasured", [slo.metric])) if {
	some slo in manifest.slos
	slo.metric in required_metrics
	count(manifest.measured(slo.metric)) == 0
	msg := sprintf("SLO %s is declared but not measured in this release's evaluation metrics", [slo.metric])
}

details := {slo.metric: {
	"objective": slo.objective,
	"measured": [m.value | some m in manifest.measured(slo.metric)],
} | some slo in manifest.slos; slo.metric in required_metrics}
