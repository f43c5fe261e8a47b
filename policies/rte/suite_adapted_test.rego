package gatekeeper.controls.rte.suite_adapted_test

import rego.v1

import data.gatekeeper.controls.rte.suite_adapted as control

# suites: the classes each run tried, oldest first (runs on Feb 1, Mar 1, Apr 1).
history(suites, named) := {"history": {"window": 3, "named_classes": named, "runs": [run |
	some i, suite in suites
	run := {
		"run": sprintf("%d", [i + 1]), "time": sprintf("2026-0%d-01T00:00:00Z", [i + 2]),
		"attack_success": [{"class": c, "rate": 0, "bound": false} | some c in suite],
		"detectors": [], "domains": [], "incidents": null,
	}
]}}

incident := {"class": "jailbreak", "named_by": "incident INC-7", "since": "2026-02-15T00:00:00Z"}

threat_model := {"class": "supply_chain", "named_by": "threat model AML.T0010.003", "since": null}

test_pass_when_the_runs_after_an_incident_try_its_class if {
	# the run before the incident did not have to
	doc := history([["supply_chain"], ["supply_chain", "jailbreak"], ["jailbreak", "supply_chain"]], [incident, threat_model])
	count(control.deny) == 0 with input as doc
	count(control.warn) == 0 with input as doc
	trend := control.details.trend with input as doc
	[[p.run, p.value] | some p in trend[0].points] == [["1", 1], ["2", 1], ["3", 1]]
	trend[0].direction == "held"
}

test_fail_when_a_run_after_the_incident_lacks_its_class if {
	doc := history([["supply_chain"], ["supply_chain", "jailbreak"], ["supply_chain"]], [incident, threat_model])
	[d.msg | some d in control.deny with input as doc] == ["attack class jailbreak, named by incident INC-7, is missing from the red-team suite of run 3 (2026-04-01T00:00:00Z)"]
	trend := control.details.trend with input as doc
	[p.value | some p in trend[0].points] == [1, 1, 0.5]
}

test_fail_when_a_threat_model_class_is_never_tried if {
	doc := history([[], [], ["supply_chain"]], [threat_model])
	{d.finding | some d in control.deny with input as doc} == {"suite:supply_chain:1", "suite:supply_chain:2"}
}

test_unmeasured_without_history_names_or_runs if {
	[w.finding | some w in control.warn with input as {}] == ["trend:unmeasured"]
	[w.finding | some w in control.warn with input as history([[], [], []], [])] == ["trend:unmeasured"]
	short := history([["jailbreak"], ["jailbreak"]], [threat_model])
	[w.finding | some w in control.warn with input as short] == ["trend:unmeasured"]
	count(control.deny) == 0 with input as short
}

test_exempt_classes_are_not_expected if {
	doc := history([[], [], []], [threat_model])
	count(control.deny) == 0 with input as doc with data.gatekeeper.config.trends.suite_exempt_classes as ["supply_chain"]
	count(control.deny) == 3 with input as doc
}
