package gatekeeper.controls.irr.incident_playbooks_defined_test

import rego.v1

import data.gatekeeper.controls.irr.incident_playbooks_defined

playbooks(headings) := {"documents": {"incident_playbooks": {
	"path": "docs/ir/AI_INCIDENT_PLAYBOOKS.md", "format": "markdown", "words": 900,
	"sections": [{"heading": h, "normalized": h, "level": 2, "words": 30} | some h in headings],
	"facts": {}, "atlas_techniques": [],
}}}

complete := playbooks(["1 ai incident types", "2 severity levels", "3 escalation and contacts"])

test_pass_with_types_severities_and_escalation if {
	incident_playbooks_defined.applicable with input as complete
	count(incident_playbooks_defined.deny) == 0 with input as complete
}

test_fail_without_severity_levels if {
	denied := incident_playbooks_defined.deny with input as playbooks(["1 ai incident types", "3 escalation and contacts"])
	{d.finding | some d in denied} == {"incident_playbooks:section:Severity levels"}
}

test_no_evidence_without_playbooks if {
	not incident_playbooks_defined.applicable with input as {"documents": {}}
	count(incident_playbooks_defined.deny) == 0 with input as {"documents": {}}
}
