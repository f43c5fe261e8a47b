package gatekeeper.controls.rte.third_party_red_team_current_test

import rego.v1

import data.gatekeeper.controls.rte.third_party_red_team_current

report(facts) := {"collected_at": "2026-11-28T12:00:00Z", "documents": {"red_team_report": {
	"path": "docs/security/RED_TEAM_2026.md", "format": "markdown", "words": 800,
	"sections": [{"heading": h, "normalized": h, "level": 2, "words": 50} | some h in ["scope", "methodology", "findings"]],
	"facts": facts, "atlas_techniques": [],
}}}

recent := {"date": "2026-08-20T00:00:00Z", "assessor": "Example Offensive Security GmbH"}

test_pass_with_a_recent_independent_report if {
	third_party_red_team_current.applicable with input as report(recent)
	count(third_party_red_team_current.deny) == 0 with input as report(recent)
}

test_fail_when_the_engagement_is_stale if {
	denied := third_party_red_team_current.deny with input as report(object.union(recent, {"date": "2025-05-01T00:00:00Z"}))
	{d.msg | some d in denied} == {"date 2025-05-01 is 576 days old; the limit is 365 days"}
}

test_fail_without_an_assessor if {
	denied := third_party_red_team_current.deny with input as report({"date": "2026-08-20T00:00:00Z"})
	{d.finding | some d in denied} == {"red_team_report:fact:assessor"}
}

test_no_evidence_without_a_report if {
	not third_party_red_team_current.applicable with input as {"collected_at": "2026-11-28T12:00:00Z"}
	count(third_party_red_team_current.deny) == 0 with input as {"collected_at": "2026-11-28T12:00:00Z"}
}
