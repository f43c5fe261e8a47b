package gatekeeper.controls.dat.ai_data_classified_dlp_test

import rego.v1

import data.gatekeeper.controls.dat.ai_data_classified_dlp as control

datasets := [{"name": "tickets", "classification": "confidential"}, {"name": "kb", "classification": "public"}]

dlp := [
	{"flow": "prompts", "classification": "confidential", "filter": "presidio", "action": "redact"},
	{"flow": "embeddings", "classification": "confidential", "filter": "presidio", "action": "redact"},
	{"flow": "retrievals", "classification": "internal", "filter": "presidio", "action": "redact"},
]

evidence(declared) := {"manifest": {"source": "ai-system.yaml", "declared": declared, "prompt_templates": []}}

test_pass_when_data_is_labeled_and_every_flow_has_dlp if {
	declared := {"datasets": datasets, "guardrails": {"dlp": dlp}}
	control.applicable with input as evidence(declared)
	count(control.deny) == 0 with input as evidence(declared)
}

test_fail_for_an_unlabeled_dataset_and_an_uncovered_flow if {
	unlabeled := [{"name": "tickets"}, {"name": "kb", "classification": "secret-ish"}]
	declared := {"datasets": unlabeled, "guardrails": {"dlp": [dlp[0], dlp[1]]}}
	denied := control.deny with input as evidence(declared)
	{entry.finding | some entry in denied} == {"dataset:tickets:classification", "dataset:kb:classification", "dlp:retrievals"}
}

test_fail_without_datasets_or_guardrails if {
	denied := control.deny with input as evidence({})
	{entry.finding | some entry in denied} == {"datasets:none", "dlp:prompts", "dlp:embeddings", "dlp:retrievals"}
}

test_labels_come_from_the_thresholds if {
	denied := control.deny with input as evidence({"datasets": datasets, "guardrails": {"dlp": dlp}})
		with data.gatekeeper.config.ai_system.classification_labels as ["public", "confidential"]
	{entry.finding | some entry in denied} == {"dlp:retrievals:classification"}
}

test_no_evidence_without_a_manifest if {
	not control.applicable with input as {}
}
