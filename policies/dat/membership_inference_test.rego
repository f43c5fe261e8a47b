package gatekeeper.controls.dat.membership_inference_test

import rego.v1

import data.gatekeeper.controls.dat.membership_inference

metric(name, value) := {
	"name": name, "value": value, "slice": null, "origin": "metrics",
	"source": "metrics.yaml", "line": 9,
}

evals(metrics) := {"evals": {"runs": [], "attacks": [], "metrics": metrics}}

test_pass_with_low_advantage if {
	low := evals([metric("mia_advantage", 0.04), metric("mia_auc", 0.54)])
	membership_inference.applicable with input as low
	count(membership_inference.deny) == 0 with input as low
}

test_fail_with_high_advantage if {
	high := evals([metric("mia_advantage", 0.3)])
	denied := membership_inference.deny with input as high
	some entry in denied
	entry.msg == "mia_advantage 0.3 is above the maximum 0.1"
	entry.line == 9
}

test_fail_with_high_auc if {
	count(membership_inference.deny) == 1 with input as evals([metric("mia_auc", 0.7)])
}

test_no_evidence_without_an_attack_result if {
	not membership_inference.applicable with input as evals([metric("dp_epsilon", 3)])
}
