package gatekeeper.controls.hil.privacy_qa_labeling_drill_test

import rego.v1

import data.gatekeeper.controls.hil.privacy_qa_labeling_drill

headings := ["1 privacy qa of labeled items", "2 labeling incident drill", "3 findings and actions"]

audit(facts, words) := {"collected_at": "2026-11-28T12:00:00Z", "documents": {"labeling_audit": {
	"path": "docs/hil/LABELING_PRIVACY_AUDIT.md", "format": "markdown", "words": 500,
	"sections": [{"heading": h, "normalized": h, "level": 2, "words": words} | some h in headings],
	"facts": facts, "atlas_techniques": [],
}}}

test_pass_with_a_recent_audit_and_drill if {
	privacy_qa_labeling_drill.applicable with input as audit({"date": "2026-09-30T00:00:00Z"}, 30)
	count(privacy_qa_labeling_drill.deny) == 0 with input as audit({"date": "2026-09-30T00:00:00Z"}, 30)
}

test_fail_when_the_audit_is_stale_and_empty if {
	denied := privacy_qa_labeling_drill.deny with input as audit({"date": "2024-09-30T00:00:00Z"}, 0)
	{d.finding | some d in denied} == {
		"labeling_audit:stale",
		"labeling_audit:section:Privacy QA",
		"labeling_audit:section:Labeling incident drill",
		"labeling_audit:section:Findings and actions",
	}
}

test_fail_without_a_date if {
	denied := privacy_qa_labeling_drill.deny with input as audit({}, 30)
	{d.finding | some d in denied} == {"labeling_audit:fact:date"}
}

test_no_evidence_without_an_audit_record if {
	not privacy_qa_labeling_drill.applicable with input as {"documents": {}}
	count(privacy_qa_labeling_drill.deny) == 0 with input as {"documents": {}}
}
