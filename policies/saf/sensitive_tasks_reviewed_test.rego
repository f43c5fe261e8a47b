package gatekeeper.controls.saf.sensitive_tasks_reviewed_test

import rego.v1

import data.gatekeeper.controls.saf.sensitive_tasks_reviewed as control

contacts := [{"id": "trust-safety", "name": "T&S", "hours": "business-hours", "email": "ts@example.com"}]

review := {
	"sensitive_tasks": [
		{"task": "send reply", "mode": "pre-approval", "reviewer_role": "agent"},
		{"task": "negative messages", "mode": "sampling", "reviewer_role": "lead", "sample_rate": 0.1},
	],
	"escalation": [{"trigger": "self-harm", "route": "trust-safety", "within_minutes": 60}],
}

evidence(declared) := {"manifest": {"source": "ai-system.yaml", "declared": declared, "prompt_templates": []}}

test_pass_with_reviewed_tasks_and_routed_escalation if {
	declared := {"incident_contacts": contacts, "human_review": review}
	control.applicable with input as evidence(declared)
	count(control.deny) == 0 with input as evidence(declared)
}

test_fail_for_unnamed_reviewers_and_unknown_routes if {
	weak := {
		"sensitive_tasks": [{"task": "refunds", "mode": "sampling"}],
		"escalation": [{"trigger": "harm", "route": "nobody"}],
	}
	denied := control.deny with input as evidence({"incident_contacts": contacts, "human_review": weak})
	{entry.finding | some entry in denied} == {
		"task:refunds:reviewer", "task:refunds:sample-rate", "escalation:0:route", "escalation:0:response-time",
	}
}

test_fail_without_human_review if {
	denied := control.deny with input as evidence({"incident_contacts": contacts})
	{entry.finding | some entry in denied} == {"human-review:tasks", "human-review:escalation"}
}

test_no_evidence_without_a_manifest if {
	not control.applicable with input as {}
}
