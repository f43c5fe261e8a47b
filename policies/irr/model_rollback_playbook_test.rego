package gatekeeper.controls.irr.model_rollback_playbook_test

import rego.v1

import data.gatekeeper.controls.irr.model_rollback_playbook

playbooks(headings) := {"documents": {"incident_playbooks": {
	"path": "docs/ir/AI_INCIDENT_PLAYBOOKS.md", "format": "markdown", "words": 900,
	"sections": [{"heading": h, "normalized": h, "level": 2, "words": 30} | some h in headings],
	"facts": {}, "atlas_techniques": [],
}}}

test_pass_with_a_rollback_procedure if {
	complete := playbooks(["pb 1 roll back or pin the model to the last known good version"])
	model_rollback_playbook.applicable with input as complete
	count(model_rollback_playbook.deny) == 0 with input as complete
}

test_fail_without_a_rollback_procedure if {
	denied := model_rollback_playbook.deny with input as playbooks(["ai incident types", "severity levels"])
	{d.msg | some d in denied} == {"lacks the section \"Roll back or pin the model\": no heading names it"}
}

test_no_evidence_without_playbooks if {
	not model_rollback_playbook.applicable with input as {"documents": {"dpia": {}}}
	count(model_rollback_playbook.deny) == 0 with input as {"documents": {"dpia": {}}}
}
