package gatekeeper.controls.sdl.rollback_last_known_good_test

import rego.v1

import data.gatekeeper.controls.sdl.rollback_last_known_good as control

models := [
	{"name": "scorer", "version": "1.4.0", "hosting": "self-hosted", "last_known_good": {"version": "1.3.2"}},
	{"name": "gpt-4o", "version": "2024-11-20", "hosting": "provider", "last_known_good": {"version": "2024-08-06"}},
]

rollback := {"automation": "argo rollouts", "triggers": ["security_gate_failed", "safety_gate_failed", "slo_breach"], "max_minutes": 15}

evidence(declared) := {"manifest": {"source": "ai-system.yaml", "declared": declared, "prompt_templates": []}}

test_pass_with_pinned_versions_and_automation if {
	control.applicable with input as evidence({"models": models, "rollback": rollback})
	count(control.deny) == 0 with input as evidence({"models": models, "rollback": rollback})
	control.details.scorer == "1.3.2" with input as evidence({"models": models, "rollback": rollback})
}

test_fail_for_a_model_without_or_with_the_same_last_known_good if {
	bad := [
		{"name": "scorer", "version": "1.4.0", "hosting": "self-hosted"},
		{"name": "gpt-4o", "version": "2024-11-20", "hosting": "provider", "last_known_good": {"version": "2024-11-20"}},
	]
	denied := control.deny with input as evidence({"models": bad, "rollback": rollback})
	{entry.finding | some entry in denied} == {"model:scorer:last-known-good", "model:gpt-4o:last-known-good"}
}

test_fail_without_automation_or_required_triggers if {
	denied := control.deny with input as evidence({"models": models, "rollback": {"automation": "manual runbook", "triggers": ["manual"]}})
	{entry.finding | some entry in denied} == {
		"rollback:trigger:security_gate_failed", "rollback:trigger:safety_gate_failed", "rollback:max-minutes",
	}
	denied_none := control.deny with input as evidence({"models": models})
	some entry in denied_none
	entry.finding == "rollback:automation"
}

test_fail_without_models if {
	denied := control.deny with input as evidence({"rollback": rollback})
	{entry.finding | some entry in denied} == {"models:none"}
}

test_threshold_sets_the_rollback_time if {
	count(control.deny) == 1 with input as evidence({"models": models, "rollback": rollback})
		with data.gatekeeper.config.ai_system.rollback_max_minutes as 10
}

test_no_evidence_without_a_manifest if {
	not control.applicable with input as {}
}

# The collector lists free-text facts holding a placeholder; the control denies on those it reads.
test_fail_for_a_placeholder_in_the_facts_it_reads if {
	declared := {"models": models, "rollback": object.union(rollback, {"automation": "TBD"})}
	placeholders := [
		{"field": "rollback.automation", "key": "rollback.automation", "value": "TBD", "reason": "'TBD' is a placeholder", "line": 40},
		{"field": "telemetry.exporter", "key": "telemetry.exporter", "value": "N/A", "reason": "'N/A' is a placeholder", "line": 50},
	]
	with_placeholders := object.union(evidence(declared), {"manifest": {"placeholders": placeholders}})
	denied := control.deny with input as with_placeholders
	denied == {{
		"msg": "rollback.automation: 'TBD' is a placeholder; declare what is really in place",
		"finding": "placeholder:rollback.automation", "file": "ai-system.yaml", "line": 40,
	}}
	count(control.deny) == 0 with input as evidence(declared)
}
