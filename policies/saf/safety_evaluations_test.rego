package gatekeeper.controls.saf.safety_evaluations_test

import rego.v1

import data.gatekeeper.controls.saf.safety_evaluations

metric(name, value, slice) := {
	"name": name, "value": value, "slice": slice, "origin": "metrics",
	"source": "metrics.yaml", "line": 3,
}

evals(metrics) := {"evals": {"runs": [], "attacks": [], "metrics": metrics}}

safe := evals([
	metric("toxicity_rate", 0.002, null), metric("groundedness", 0.94, null),
	metric("demographic_parity_difference", 0.03, "region"),
])

test_pass_when_all_three_are_measured_and_within_bounds if {
	safety_evaluations.applicable with input as safe
	count(safety_evaluations.deny) == 0 with input as safe
}

test_fail_names_the_group if {
	unfair := evals([
		metric("toxicity_rate", 0.002, null), metric("groundedness", 0.94, null),
		metric("demographic_parity_difference", 0.03, "region"),
		metric("demographic_parity_difference", 0.14, "age over 60"),
	])
	denied := safety_evaluations.deny with input as unfair
	count(denied) == 1
	some entry in denied
	entry.msg == "demographic_parity_difference[age over 60] 0.14 is above the maximum 0.1"
	entry.finding == "metric:demographic_parity_difference:age over 60"
}

test_no_evidence_when_one_evaluation_is_missing if {
	not safety_evaluations.applicable with input as evals([metric("toxicity_rate", 0, null), metric("groundedness", 0.9, null)])
}

test_bounds_come_from_config if {
	count(safety_evaluations.deny) == 1 with input as safe with data.gatekeeper.config.safety.min.groundedness as 0.99
}
