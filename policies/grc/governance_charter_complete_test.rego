package gatekeeper.controls.grc.governance_charter_complete_test

import rego.v1

import data.gatekeeper.controls.grc.governance_charter_complete

headings := ["roles and responsibilities", "raci", "intake", "risk tiering"]

facts := {"owner": "AI Governance Office", "approved_by": "AI Risk Committee", "approved_on": "2026-03-02T00:00:00Z"}

charter(words, with_facts) := {"collected_at": "2026-11-28T12:00:00+00:00", "documents": {"governance_charter": {
	"path": "docs/governance/CHARTER.md", "format": "markdown", "words": 400,
	"sections": [{"heading": h, "normalized": h, "level": 2, "words": words} | some h in headings],
	"facts": with_facts, "atlas_techniques": [],
}}}

test_pass_with_every_section_and_approval if {
	governance_charter_complete.applicable with input as charter(40, facts)
	count(governance_charter_complete.deny) == 0 with input as charter(40, facts)
}

test_fail_when_sections_are_empty if {
	expected := count(headings)
	count(governance_charter_complete.deny) == expected with input as charter(0, facts)
}

test_fail_without_approval if {
	denied := governance_charter_complete.deny with input as charter(40, {"owner": "AI Governance Office"})
	messages := {d.msg | some d in denied}
	messages == {
		"its front matter does not state \"approved_by\"",
		"its front matter does not state \"approved_on\"",
	}
}

test_required_facts_come_from_config if {
	count(governance_charter_complete.deny) == 0 with input as charter(40, {})
		with data.gatekeeper.config.documents.governance_charter.required_facts as []
}

test_no_evidence_without_the_charter if {
	not governance_charter_complete.applicable with input as {"collected_at": "2026-11-28T12:00:00Z"}
	count(governance_charter_complete.deny) == 0 with input as {"collected_at": "2026-11-28T12:00:00Z"}
	not governance_charter_complete.applicable with input as {"documents": {}}
	count(governance_charter_complete.deny) == 0 with input as {"documents": {}}
}

# The collector compares owner and approver (front_matter.same_identity) and marks the document.
test_fail_when_marked_self_approved if {
	self_approved := json.patch(charter(40, facts), [{"op": "add", "path": "/documents/governance_charter/self_approved", "value": true}])
	{d.msg | some d in governance_charter_complete.deny with input as self_approved} == {"approved by its own owner (AI Governance Office); the approver must be someone else"}
	independent := json.patch(charter(40, facts), [{"op": "add", "path": "/documents/governance_charter/self_approved", "value": false}])
	count(governance_charter_complete.deny) == 0 with input as independent
}
