package gatekeeper.controls.mod.robustness_tested_test

import rego.v1

import data.gatekeeper.controls.mod.robustness_tested

metric(name, value) := {
	"name": name, "value": value, "slice": null, "origin": "model_card",
	"source": "mlbom.cdx.json", "line": null,
}

evals(metrics) := {"evals": {"runs": [], "attacks": [], "metrics": metrics}}

robust := evals([
	metric("robust_accuracy", 0.86), metric("extraction_fidelity", 0.3),
	metric("inversion_success_rate", 0.02), metric("mia_advantage", 0.04),
])

test_pass_when_robust_enough if {
	robustness_tested.applicable with input as robust
	count(robustness_tested.deny) == 0 with input as robust
}

# MOD-Q4 asks for extraction, inversion and membership-inference results: each one missing is
# no evidence.
test_no_evidence_without_extraction_inversion_or_membership_inference if {
	some name in ["extraction_fidelity", "inversion_success_rate", "mia_advantage"]
	partial := evals([m | some m in robust.evals.metrics; m.name != name])
	not robustness_tested.applicable with input as partial
}

test_fail_below_minimum_or_above_maximum if {
	weak := evals([metric("robust_accuracy", 0.41), metric("inversion_success_rate", 0.5)])
	denied := robustness_tested.deny with input as weak
	messages := {entry.msg | some entry in denied}
	messages == {
		"robust_accuracy 0.41 is below the minimum 0.7",
		"inversion_success_rate 0.5 is above the maximum 0.1",
	}
}

test_no_evidence_without_the_required_metric if {
	not robustness_tested.applicable with input as evals([metric("extraction_fidelity", 0.3)])
}
