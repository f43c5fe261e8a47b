package gatekeeper.controls.irr.incident_drills_measured_test

import rego.v1

import data.gatekeeper.controls.irr.incident_drills_measured as control

drill(scenario, fields) := object.union({
	"source": "evidence/drills.yaml", "line": 5, "id": sprintf("2026-10-%s", [scenario]),
	"scenario": scenario, "outcome": "passed", "date": "2026-10-14T00:00:00Z",
	"detected_at": "2026-10-14T09:00:00Z", "contained_at": "2026-10-14T09:12:00Z",
	"resolved_at": "2026-10-14T10:00:00Z", "minutes_to_contain": 12, "minutes_to_resolve": 60,
}, fields)

scenarios := ["model_rollback", "tool_disablement", "index_quarantine", "log_purge", "token_invalidation"]

evidence(drills) := {"collected_at": "2026-11-28T12:00:00Z", "drills": drills}

all_drilled := evidence([drill(s, {}) | some s in scenarios])

replaced(scenario, fields) := evidence(array.concat(
	[drill(s, {}) | some s in scenarios; s != scenario],
	[drill(scenario, fields)],
))

test_pass_with_every_scenario_drilled_recently_and_fast if {
	control.applicable with input as all_drilled
	count(control.deny) == 0 with input as all_drilled
	rows := control.details.drills with input as all_drilled
	count(rows) == 5
	every row in rows {
		row.counts == true
	}
}

test_no_evidence_without_drill_records if {
	not control.applicable with input as evidence([])
	not control.applicable with input as {"collected_at": "2026-11-28T12:00:00Z"}
}

test_fail_names_a_scenario_never_drilled if {
	partial := evidence([drill(s, {}) | some s in scenarios; s != "log_purge"])
	{d.msg | some d in control.deny with input as partial} == {"no drill of scenario log_purge is recorded"}
}

test_fail_for_a_failed_drill if {
	{d.msg | some d in control.deny with input as replaced("model_rollback", {"outcome": "failed"})} == {"no drill of scenario model_rollback counts: the latest, 2026-10-model_rollback (2026-10-14), is outcome failed"}
}

# The limits are inclusive: at the limit counts, one over fails.
test_fail_when_too_slow_to_contain_or_resolve if {
	count(control.deny) == 0 with input as replaced("tool_disablement", {"minutes_to_contain": 60, "minutes_to_resolve": 240})
	{d.msg | some d in control.deny with input as replaced("tool_disablement", {"minutes_to_contain": 61, "minutes_to_resolve": 241})} == {"no drill of scenario tool_disablement counts: the latest, 2026-10-tool_disablement (2026-10-14), is contained after 61 minutes (limit 60), resolved after 241 minutes (limit 240)"}
}

test_fail_when_stale_or_dated_after_the_run if {
	count(control.deny) == 0 with input as replaced("log_purge", {"date": "2025-11-28T12:00:00Z"})
	{d.msg | some d in control.deny with input as replaced("log_purge", {"date": "2025-11-27T00:00:00Z"})} == {"no drill of scenario log_purge counts: the latest, 2026-10-log_purge (2025-11-27), is 366 days old (limit 365)"}
	future := replaced("log_purge", {"date": "2026-12-01T00:00:00Z"})
	some entry in control.deny with input as future
	contains(entry.msg, "dated 2026-12-01, after the run")
}

test_an_older_failed_drill_does_not_hide_a_recent_passing_one if {
	both := evidence(array.concat([drill(s, {}) | some s in scenarios], [drill("model_rollback", {"id": "old", "outcome": "failed", "date": "2026-03-01T00:00:00Z"})]))
	count(control.deny) == 0 with input as both
}

test_thresholds_come_from_config if {
	slow := replaced("index_quarantine", {"minutes_to_contain": 90})
	count(control.deny) == 0 with input as slow with data.gatekeeper.config.drills.max_minutes_to_contain as 120
}

test_a_classical_ml_system_drills_only_its_own_scenarios if {
	classical := object.union(
		evidence([drill(s, {}) | some s in ["model_rollback", "token_invalidation"]]),
		{"gate": {"kinds": ["classical-ml"]}},
	)
	count(control.deny) == 0 with input as classical
	as_rag := object.union(classical, {"gate": {"kinds": ["classical-ml", "rag"]}})
	denied := control.deny with input as as_rag
	{entry.finding | some entry in denied} == {"drill:index_quarantine:missing", "drill:log_purge:missing"}
	as_agent := object.union(classical, {"gate": {"kinds": ["agent"]}})
	agent_denied := control.deny with input as as_agent
	{entry.finding | some entry in agent_denied} == {"drill:tool_disablement:missing", "drill:log_purge:missing"}
}
