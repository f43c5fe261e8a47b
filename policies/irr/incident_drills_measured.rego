# METADATA
# title: Incident drills of rollback, tool, index, log and token procedures are recent and timed
# description: >-
#   The release's drill records (evidence.drills, docs/drills.md) hold, for every scenario of
#   thresholds.drills.required_scenarios -- rolling back or pinning the model, disabling tools,
#   quarantining vector indices, purging prompt logs, invalidating caches and tokens -- a drill
#   with a passing outcome, dated within thresholds.drills.max_age_days of the run (not after
#   it), whose measured times from detection to containment and to resolution are within
#   thresholds.drills.max_minutes_to_contain and max_minutes_to_resolve.
# custom:
#   severity: medium
#   questions: [IRR-Q2, IRR-Q3, IRR-Q4]
#   waivable: true
#   remediation: >-
#     Drill each incident procedure (a tabletop is not enough: run the rollback, disable the
#     tool, quarantine the index, purge the logs, revoke the tokens in a staging environment),
#     record when the incident was detected, contained and resolved, and keep the records in
#     the repository (evidence.drills); fix the procedure when a drill fails or is too slow.
#   evidence: [drills]
#   strength: declared
#   frameworks:
#     nist_ai_rmf: [MANAGE 2.3, MANAGE 4.3]
#     saif: [controlIncidentResponseManagement]
package gatekeeper.controls.irr.incident_drills_measured

import rego.v1

import data.gatekeeper.lib.kinds

cfg := data.gatekeeper.config.drills

drills := object.get(input, "drills", [])

now_ns := time.parse_rfc3339_ns(input.collected_at)

day_ns := ((24 * 60) * 60) * 1000000000

age_days(drill) := floor((now_ns - time.parse_rfc3339_ns(drill.date)) / day_ns)

# A drill that counts: passed, recent, not dated after the run, and fast enough.
counts(drill) if {
	drill.outcome in cfg.passing_outcomes
	age_days(drill) <= cfg.max_age_days
	time.parse_rfc3339_ns(drill.date) <= now_ns
	drill.minutes_to_contain <= cfg.max_minutes_to_contain
	drill.minutes_to_resolve <= cfg.max_minutes_to_resolve
}

counted(drill) := true if counts(drill)

else := false

applicable if count(drills) > 0

# Why a drill does not count (one reason per rule it breaks).
problems(drill) := {msg |
	not drill.outcome in cfg.passing_outcomes
	msg := sprintf("outcome %s", [drill.outcome])
} | {msg |
	age_days(drill) > cfg.max_age_days
	msg := sprintf("%d days old (limit %d)", [age_days(drill), cfg.max_age_days])
} | {msg |
	time.parse_rfc3339_ns(drill.date) > now_ns
	msg := sprintf("dated %s, after the run", [substring(drill.date, 0, 10)])
} | {msg |
	drill.minutes_to_contain > cfg.max_minutes_to_contain
	msg := sprintf("contained after %v minutes (limit %v)", [drill.minutes_to_contain, cfg.max_minutes_to_contain])
} | {msg |
	drill.minutes_to_resolve > cfg.max_minutes_to_resolve
	msg := sprintf("resolved after %v minutes (limit %v)", [drill.minutes_to_resolve, cfg.max_minutes_to_resolve])
}

# A scenario only some kinds of system have (drills.scenarios_by_kind) is required only of them.
required_scenarios := [scenario |
	some scenario in cfg.required_scenarios
	required(scenario)
]

required(scenario) if not cfg.scenarios_by_kind[scenario]

required(scenario) if kinds.any_of(cfg.scenarios_by_kind[scenario])

deny contains {"msg": msg, "finding": sprintf("drill:%s:missing", [scenario])} if {
	some scenario in required_scenarios
	count([d | some d in drills; d.scenario == scenario]) == 0
	msg := sprintf("no drill of scenario %s is recorded", [scenario])
}

deny contains {"msg": msg, "finding": sprintf("drill:%s", [scenario]), "file": latest.source, "line": latest.line} if {
	some scenario in required_scenarios
	of_scenario := [d | some d in drills; d.scenario == scenario]
	count(of_scenario) > 0
	count([d | some d in of_scenario; counts(d)]) == 0
	latest := [d | some d in of_scenario; d.date == max({x.date | some x in of_scenario})][0]
	msg := sprintf("no drill of scenario %s counts: the latest, %s (%s), is %s", [
		scenario, latest.id, substring(latest.date, 0, 10), concat(", ", sort(problems(latest))),
	])
}

details := {"drills": [{
	"id": d.id, "scenario": d.scenario, "date": d.date, "outcome": d.outcome,
	"minutes_to_contain": d.minutes_to_contain, "minutes_to_resolve": d.minutes_to_resolve,
	"counts": counted(d),
} |
	some d in drills
]}
