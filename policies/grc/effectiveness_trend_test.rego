package gatekeeper.controls.grc.effectiveness_trend_test

import rego.v1

import data.gatekeeper.controls.grc.effectiveness_trend as control

history(rates) := {"history": {"window": 3, "named_classes": [], "runs": [run |
	some i in numbers.range(0, 2)
	run := {
		"run": sprintf("%d", [i + 1]), "time": sprintf("2026-0%d-01T00:00:00Z", [i + 1]),
		"attack_success": [], "detectors": [], "incidents": null,
		"domains": [{"domain": d, "pass_rate": r[i], "controls": 5} | some d, r in rates; count(r) > i],
	}
]}}

test_pass_when_each_domain_holds_or_improves if {
	doc := history({"SDL": [0.9, 1, 0.9], "APP": [0.4, 0.6, 0.8]})
	count(control.deny) == 0 with input as doc
	count(control.warn) == 0 with input as doc
	trend := control.details.trend with input as doc
	{s.metric: s.direction | some s in trend} == {"SDL pass rate": "held", "APP pass rate": "improving"}
	# gatekeeper computes the pass rates itself: measured
	not control.details.strength with input as doc
}

test_fail_for_a_regressing_or_stuck_domain if {
	doc := history({"SDL": [1, 0.9, 0.7], "DAT": [0.5, 0.9, 0.5]})
	{d.finding | some d in control.deny with input as doc} == {"trend:SDL pass rate", "trend:DAT pass rate"}
}

test_unmeasured_without_history_or_when_a_domain_has_a_gap if {
	[w.finding | some w in control.warn with input as {}] == ["trend:unmeasured"]
	doc := history({"SDL": [0.9, 0.9, 0.9], "MOD": [1, 1]})
	{w.finding | some w in control.warn with input as doc} == {"trend:MOD pass rate:unmeasured"}
}
