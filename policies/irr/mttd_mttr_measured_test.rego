package gatekeeper.controls.irr.mttd_mttr_measured_test

import rego.v1

import data.gatekeeper.controls.irr.mttd_mttr_measured as control

incident(id, detect, resolve, fields) := object.union({
	"source": "evidence/incidents.yaml", "line": 4, "id": id, "title": "jailbreak", "severity": "high",
	"attack_classes": ["jailbreak"], "atlas": ["AML.T0054"],
	"occurred_at": "2026-10-01T09:00:00Z", "detected_at": "2026-10-01T09:30:00Z",
	"contained_at": "2026-10-01T10:00:00Z", "resolved_at": "2026-10-01T12:00:00Z",
	"minutes_to_detect": detect, "minutes_to_contain": 30, "minutes_to_resolve": resolve,
	"postmortem": "https://example.org/pm/1",
}, fields)

evidence(incidents) := {"collected_at": "2026-11-28T12:00:00Z", "incidents": incidents}

test_pass_when_the_means_are_within_the_targets if {
	doc := evidence([incident("A", 30, 120, {}), incident("B", 90, 840, {})])
	control.applicable with input as doc
	count(control.deny) == 0 with input as doc
	control.details == {"incidents": 2, "mttd_minutes": 60, "mttr_minutes": 480, "max_mttd_minutes": 60, "max_mttr_minutes": 480} with input as doc
}

test_no_evidence_without_records if {
	not control.applicable with input as evidence([])
	not control.applicable with input as {"collected_at": "2026-11-28T12:00:00Z"}
}

# The limits are inclusive: at the limit passes, a tenth of a minute over fails.
test_fail_when_a_mean_is_over_its_target if {
	slow := evidence([incident("A", 60.1, 480.1, {})])
	{d.msg | some d in control.deny with input as slow} == {
		"mean time to detect is 60.1 minutes over 1 incidents (limit 60)",
		"mean time to resolve is 480.1 minutes over 1 incidents (limit 480)",
	}
}

test_old_incidents_leave_the_window if {
	old := incident("OLD", 600, 6000, {"detected_at": "2025-11-27T11:59:00Z"})
	edge := incident("EDGE", 30, 60, {"detected_at": "2025-11-28T12:00:00Z"})
	doc := evidence([old, edge])
	count(control.deny) == 0 with input as doc
	control.details.incidents == 1 with input as doc
}

test_unmeasured_when_no_incident_is_recent if {
	doc := evidence([incident("OLD", 30, 60, {"detected_at": "2024-01-01T00:00:00Z"})])
	control.applicable with input as doc
	count(control.deny) == 0 with input as doc
	[w.finding | some w in control.warn with input as doc] == ["incidents:unmeasured"]
	not control.details with input as doc
}

test_fail_for_an_incident_after_the_run if {
	doc := evidence([incident("LATER", 30, 60, {"detected_at": "2026-11-28T12:00:01Z"}), incident("A", 30, 60, {})])
	{d.finding | some d in control.deny with input as doc} == {"incident:LATER:future"}
}
