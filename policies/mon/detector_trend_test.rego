package gatekeeper.controls.mon.detector_trend_test

import rego.v1

import data.gatekeeper.controls.mon.detector_trend as control

# values: [detector, metric] -> [value per run], oldest first.
history(values, bound) := {"history": {"window": 3, "named_classes": [], "runs": [run |
	some i in numbers.range(0, 2)
	run := {
		"run": sprintf("%d", [i + 1]), "time": sprintf("2026-0%d-01T00:00:00Z", [i + 1]),
		"attack_success": [], "domains": [], "incidents": null,
		"detectors": [{"detector": k[0], "metric": k[1], "value": v[i], "bound": bound} | some k, v in values; count(v) > i],
	}
]}}

test_pass_when_held_at_the_minimum_or_improving if {
	doc := history({["pi-filter", "detector_precision"]: [0.9, 0.95, 0.9], ["pi-filter", "detector_recall"]: [0.5, 0.6, 0.7]}, true)
	count(control.deny) == 0 with input as doc
	count(control.warn) == 0 with input as doc
	trend := control.details.trend with input as doc
	{s.metric: s.direction | some s in trend} == {"detector_precision (pi-filter)": "held", "detector_recall (pi-filter)": "improving"}
	not control.details.strength with input as doc
}

test_fail_when_recall_falls if {
	doc := history({["pi-filter", "detector_recall"]: [0.85, 0.8, 0.7]}, true)
	[d.msg | some d in control.deny with input as doc] == ["detector_recall (pi-filter) regressed over the last 3 runs: 0.85 -> 0.8 -> 0.7 (limit 0.8)"]
}

test_unbound_measures_are_declared if {
	control.details.strength == "declared" with input as history({["pi-filter", "detector_recall"]: [0.9, 0.9, 0.9]}, false)
}

test_unmeasured_without_history_or_with_a_gap if {
	[w.finding | some w in control.warn with input as {}] == ["trend:unmeasured"]
	doc := history({["pi-filter", "detector_recall"]: [0.9, 0.9]}, true)
	{w.finding | some w in control.warn with input as doc} == {"trend:unmeasured", "trend:detector_recall (pi-filter):unmeasured"}
}
