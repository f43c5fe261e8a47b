package gatekeeper.controls.irr.purge_invalidate_playbook_test

import rego.v1

import data.gatekeeper.controls.irr.purge_invalidate_playbook

playbooks(headings, words) := {"documents": {"incident_playbooks": {
	"path": "docs/ir/AI_INCIDENT_PLAYBOOKS.md", "format": "markdown", "words": 900,
	"sections": [{"heading": h, "normalized": h, "level": 2, "words": words} | some h in headings],
	"facts": {}, "atlas_techniques": [],
}}}

both := ["pb 4 purge or redact prompt logs", "pb 5 invalidate caches and revoke tokens"]

test_pass_with_both_procedures if {
	purge_invalidate_playbook.applicable with input as playbooks(both, 30)
	count(purge_invalidate_playbook.deny) == 0 with input as playbooks(both, 30)
}

test_fail_when_the_procedures_are_empty if {
	denied := purge_invalidate_playbook.deny with input as playbooks(both, 1)
	{d.finding | some d in denied} == {
		"incident_playbooks:section:Purge or redact prompt logs",
		"incident_playbooks:section:Invalidate caches and tokens",
	}
}

test_no_evidence_without_playbooks if {
	not purge_invalidate_playbook.applicable with input as {"documents": {}}
	count(purge_invalidate_playbook.deny) == 0 with input as {"documents": {}}
}
