package gatekeeper.controls.irr.mttd_mttr_trend_test

import rego.v1

import data.gatekeeper.controls.irr.mttd_mttr_trend as control

# times: [[mttd, mttr] or null per run], oldest first (targets 60 and 480 minutes).
history(times) := {"history": {"window": 3, "named_classes": [], "runs": [run |
	some i, t in times
	run := {
		"run": sprintf("%d", [i + 1]), "time": sprintf("2026-0%d-01T00:00:00Z", [i + 1]),
		"attack_success": [], "detectors": [], "domains": [],
		"incidents": measured(t),
	}
]}}

measured(t) := null if t == null

else := {"mttd_minutes": t[0], "mttr_minutes": t[1], "bound": false}

test_pass_when_within_the_targets_or_improving if {
	doc := history([[50, 900], [60, 700], [40, 500]])
	count(control.deny) == 0 with input as doc
	trend := control.details.trend with input as doc
	{s.metric: s.direction | some s in trend} == {"MTTD minutes": "held", "MTTR minutes": "improving"}
	control.details.strength == "declared" with input as doc
}

test_fail_when_detection_slows_down if {
	doc := history([[30, 100], [50, 100], [90, 100]])
	[d.msg | some d in control.deny with input as doc] == ["MTTD minutes regressed over the last 3 runs: 30 -> 50 -> 90 (limit 60)"]
}

test_unmeasured_when_a_run_measured_nothing if {
	[w.finding | some w in control.warn with input as {}] == ["trend:unmeasured"]
	doc := history([[30, 100], null, [30, 100]])
	{w.finding | some w in control.warn with input as doc} == {"trend:unmeasured", "trend:MTTD minutes:unmeasured", "trend:MTTR minutes:unmeasured"}
	count(control.deny) == 0 with input as doc
}
