package gatekeeper.controls.app.behaviour_slos_met_test

import rego.v1

import data.gatekeeper.controls.app.behaviour_slos_met as control

slos := [
	{"metric": "groundedness", "kind": "behaviour", "objective": {"min": 0.85}},
	{"metric": "refusal_correctness", "kind": "behaviour", "objective": {"min": 0.95}},
	{"metric": "toxicity_rate", "kind": "safety", "objective": {"max": 0.01}},
]

metrics := [
	{"name": "groundedness", "value": 0.91, "source": "evidence/metrics.yaml"},
	{"name": "refusal_correctness", "value": 0.97, "source": "evidence/metrics.yaml"},
	{"name": "toxicity_rate", "value": 0.004, "slice": "en", "source": "evidence/metrics.yaml"},
]

evidence(declared, measured) := {
	"manifest": {"source": "ai-system.yaml", "declared": declared, "prompt_templates": []},
	"evals": {"runs": [], "attacks": [], "metrics": measured},
}

test_pass_when_the_slos_are_declared_and_met if {
	control.applicable with input as evidence({"slos": slos}, metrics)
	count(control.deny) == 0 with input as evidence({"slos": slos}, metrics)
	control.details.groundedness.measured == [0.91] with input as evidence({"slos": slos}, metrics)
}

test_fail_when_a_measured_value_breaches_the_slo if {
	breached := array.concat(metrics, [{"name": "toxicity_rate", "value": 0.05, "slice": "de", "source": "evidence/metrics.yaml"}])
	denied := control.deny with input as evidence({"slos": slos}, breached)
	{entry.finding | some entry in denied} == {"slo:toxicity_rate:breached"}
	some entry in denied
	contains(entry.msg, "measured 0.05 (slice de)")
}

test_fail_for_a_missing_or_weaker_slo if {
	weak := [
		{"metric": "groundedness", "kind": "behaviour", "objective": {"min": 0.5}},
		{"metric": "toxicity_rate", "kind": "safety", "objective": {"min": 0.01}},
	]
	denied := control.deny with input as evidence({"slos": weak}, metrics)
	{entry.finding | some entry in denied} == {"slo:refusal_correctness:missing", "slo:groundedness:weak", "slo:toxicity_rate:weak", "slo:toxicity_rate:breached"}
}

# No metrics at all: declared SLOs are no evidence they are met (issue 14).
test_fail_when_declared_but_not_measured if {
	denied := control.deny with input as evidence({"slos": slos}, [])
	{entry.finding | some entry in denied} == {"slo:groundedness:unmeasured", "slo:refusal_correctness:unmeasured", "slo:toxicity_rate:unmeasured"}
}

test_thresholds_set_the_weakest_objective if {
	denied := control.deny with input as evidence({"slos": slos}, metrics)
		with data.gatekeeper.config.ai_system.behaviour_slos as [{"metric": "groundedness", "min": 0.9}]
	{entry.finding | some entry in denied} == {"slo:groundedness:weak"}
}

test_no_evidence_without_a_manifest if {
	not control.applicable with input as {"evals": {"metrics": metrics}}
}
