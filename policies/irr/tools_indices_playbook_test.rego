package gatekeeper.controls.irr.tools_indices_playbook_test

import rego.v1

import data.gatekeeper.controls.irr.tools_indices_playbook

playbooks(headings) := {"documents": {"incident_playbooks": {
	"path": "docs/ir/AI_INCIDENT_PLAYBOOKS.md", "format": "markdown", "words": 900,
	"sections": [{"heading": h, "normalized": h, "level": 2, "words": 30} | some h in headings],
	"facts": {}, "atlas_techniques": [],
}}}

test_pass_with_both_procedures if {
	complete := playbooks(["pb 2 disable tools and functions", "pb 3 quarantine and rebuild vector indices"])
	tools_indices_playbook.applicable with input as complete
	count(tools_indices_playbook.deny) == 0 with input as complete
}

test_fail_without_the_index_procedure if {
	denied := tools_indices_playbook.deny with input as playbooks(["pb 2 disable tools and functions"])
	{d.finding | some d in denied} == {"incident_playbooks:section:Quarantine and rebuild vector indices"}
}

test_no_evidence_without_playbooks if {
	not tools_indices_playbook.applicable with input as {}
	count(tools_indices_playbook.deny) == 0 with input as {}
}
