package gatekeeper.controls.dat.dp_budget_test

import rego.v1

import data.gatekeeper.controls.dat.dp_budget

metric(name, value, baseline) := {
	"name": name, "value": value, "baseline": baseline, "slice": null, "origin": "metrics",
	"source": "metrics.yaml", "line": 4,
}

evals(metrics) := {"evals": {"runs": [], "attacks": [], "metrics": metrics}}

documented := evals([
	metric("dp_epsilon", 3, null), metric("dp_delta", 0.000001, null),
	metric("dp_utility", 0.91, 0.93),
])

test_pass_within_budget_and_documented if {
	dp_budget.applicable with input as documented
	count(dp_budget.deny) == 0 with input as documented
}

test_fail_above_budget if {
	spent := evals([
		metric("dp_epsilon", 12, null), metric("dp_delta", 0.000001, null),
		metric("dp_utility", 0.91, 0.93),
	])
	denied := dp_budget.deny with input as spent
	count(denied) == 1
	some entry in denied
	entry.msg == "DP epsilon 12 is above the budget 8"
	entry.file == "metrics.yaml"
	entry.line == 4
}

test_fail_without_delta_or_utility_trade_off if {
	bare := evals([metric("dp_epsilon", 1, null), metric("dp_utility", 0.9, null)])
	denied := dp_budget.deny with input as bare
	messages := {entry.msg | some entry in denied}
	messages == {
		"DP epsilon is reported without its delta (dp_delta)",
		"the DP utility trade-off is not documented (a dp_utility metric with the non-DP baseline)",
	}
}

test_no_evidence_without_epsilon if {
	not dp_budget.applicable with input as evals([metric("dp_delta", 0.000001, null)])
	not dp_budget.applicable with input as {"artifacts": []}
}

test_budget_comes_from_config if {
	denied := dp_budget.deny with input as documented with data.gatekeeper.config.privacy.max_dp_epsilon as 1
	count(denied) == 1
}
