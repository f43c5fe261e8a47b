package gatekeeper.controls.grc.dpia_approved_test

import rego.v1

import data.gatekeeper.controls.grc.dpia_approved

approved := {"owner": "ML Platform team", "approved_by": "Data Protection Officer", "approved_on": "2026-09-02T00:00:00Z"}

dpia(facts) := {"collected_at": "2026-11-28T12:00:00+00:00", "documents": {"dpia": {
	"path": "docs/DPIA.md", "format": "markdown", "words": 600,
	"sections": [{"heading": "Risks", "normalized": "risks", "level": 2, "words": 80}],
	"facts": facts, "atlas_techniques": [], "self_approved": false,
}}}

messages(facts) := {d.msg | some d in dpia_approved.deny with input as dpia(facts)}

test_pass_when_approved_recently_by_someone_else if {
	dpia_approved.applicable with input as dpia(approved)
	count(dpia_approved.deny) == 0 with input as dpia(approved)
}

test_fail_without_approver_and_date if {
	messages({"owner": "ML Platform team"}) == {
		"its front matter does not state \"approved_by\"",
		"its front matter does not state \"approved_on\"",
	}
}

test_fail_when_the_approval_is_stale if {
	messages(object.union(approved, {"approved_on": "2025-06-30T00:00:00Z"})) == {"approved_on 2025-06-30 is 516 days old; the limit is 365 days"}
}

test_fail_when_approved_after_the_run if {
	messages(object.union(approved, {"approved_on": "2026-12-01T00:00:00Z"})) == {"approved_on 2026-12-01 is after the run's time 2026-11-28T12:00:00+00:00"}
}

# The collector compares the identities (front_matter.same_identity) and marks the document.
test_fail_when_the_collector_marks_it_self_approved if {
	self_approved := json.patch(dpia(object.union(approved, {"approved_by": "ml platform team "})), [{
		"op": "replace", "path": "/documents/dpia/self_approved", "value": true,
	}])
	{d.msg | some d in dpia_approved.deny with input as self_approved} == {"approved by its own owner (ML Platform team); the approver must be someone else"}
}

test_max_age_comes_from_config if {
	stale := dpia(object.union(approved, {"approved_on": "2025-06-30T00:00:00Z"}))
	count(dpia_approved.deny) == 0 with input as stale with data.gatekeeper.config.documents.dpia.max_age_days as 600
}

test_no_evidence_without_the_dpia if {
	not dpia_approved.applicable with input as {"collected_at": "2026-11-28T12:00:00Z", "documents": {}}
	count(dpia_approved.deny) == 0 with input as {"collected_at": "2026-11-28T12:00:00Z", "documents": {}}
}
