package gatekeeper.controls.app.rag_moderated_grounded_test

import rego.v1

import data.gatekeeper.controls.app.rag_moderated_grounded as control

filters := {"input_filters": [{"name": "chunk-moderation", "kind": "moderation", "engine": "llm-guard", "action": "block"}]}

retrieval := {
	"moderation": {"filters": ["chunk-moderation"], "action": "drop"},
	"grounding": {"method": "citation-check", "min_score": 0.75, "on_fail": "refuse"},
}

evidence(declared) := {"manifest": {"source": "ai-system.yaml", "declared": declared, "prompt_templates": []}}

test_pass_with_moderation_and_a_grounding_threshold if {
	declared := {"guardrails": filters, "retrieval": retrieval}
	control.applicable with input as evidence(declared)
	count(control.deny) == 0 with input as evidence(declared)
	count(control.warn) == 0 with input as evidence(declared)
}

test_fail_for_an_undeclared_filter_and_a_low_threshold if {
	weak := {
		"moderation": {"filters": ["magic"], "action": "flag"},
		"grounding": {"method": "llm-judge", "min_score": 0.3, "on_fail": "flag"},
	}
	declared := {"guardrails": filters, "retrieval": weak}
	denied := control.deny with input as evidence(declared)
	{entry.finding | some entry in denied} == {"retrieval:moderation:magic", "retrieval:grounding:threshold"}
	count(control.warn) == 1 with input as evidence(declared)
}

test_fail_without_moderation_or_grounding if {
	denied := control.deny with input as evidence({"retrieval": {"vector_stores": []}})
	{entry.finding | some entry in denied} == {"retrieval:moderation", "retrieval:grounding"}
}

test_threshold_sets_the_lowest_grounding_score if {
	declared := {"guardrails": filters, "retrieval": retrieval}
	denied := control.deny with input as evidence(declared)
		with data.gatekeeper.config.ai_system.min_grounding_score as 0.8
	{entry.finding | some entry in denied} == {"retrieval:grounding:threshold"}
}

test_no_evidence_without_a_manifest if {
	not control.applicable with input as {}
}
