package gatekeeper.controls.irr.dr_drill_current_test

import rego.v1

import data.gatekeeper.controls.irr.dr_drill_current

headings := ["scenario", "restoration steps", "results and timings"]

drill(facts) := {"collected_at": "2026-11-28T12:00:00+00:00", "documents": {"dr_drill": {
	"path": "docs/ir/DR_DRILL_2026-10.md", "format": "markdown", "words": 500,
	"sections": [{"heading": h, "normalized": h, "level": 2, "words": 30} | some h in headings],
	"facts": facts, "atlas_techniques": [],
}}}

recent := {"date": "2026-10-14T00:00:00Z", "outcome": "passed"}

findings(facts) := {d.finding | some d in dr_drill_current.deny with input as drill(facts)}

test_pass_with_a_recent_passed_drill if {
	dr_drill_current.applicable with input as drill(recent)
	count(dr_drill_current.deny) == 0 with input as drill(recent)
}

test_fail_when_the_drill_is_stale if {
	denied := dr_drill_current.deny with input as drill({"date": "2025-03-10T00:00:00Z", "outcome": "passed"})
	denied == {{
		"msg": "date 2025-03-10 is 628 days old; the limit is 365 days",
		"finding": "dr_drill:stale", "file": "docs/ir/DR_DRILL_2026-10.md",
	}}
}

test_fail_when_the_restoration_failed if {
	findings({"date": "2026-10-14T00:00:00Z", "outcome": "failed"}) == {"dr_drill:outcome"}
}

test_fail_without_date_and_outcome if {
	findings({}) == {"dr_drill:fact:date", "dr_drill:fact:outcome"}
}

test_max_age_comes_from_config if {
	old := drill({"date": "2025-03-10T00:00:00Z", "outcome": "passed"})
	count(dr_drill_current.deny) == 0 with input as old with data.gatekeeper.config.documents.dr_drill.max_age_days as 730
}

test_no_evidence_without_a_drill_record if {
	not dr_drill_current.applicable with input as {"collected_at": "2026-11-28T12:00:00Z", "documents": {}}
	count(dr_drill_current.deny) == 0 with input as {"collected_at": "2026-11-28T12:00:00Z", "documents": {}}
}
