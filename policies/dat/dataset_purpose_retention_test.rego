package gatekeeper.controls.dat.dataset_purpose_retention_test

import rego.v1

import data.gatekeeper.controls.dat.dataset_purpose_retention as control

tickets := {
	"name": "tickets",
	"classification": "confidential",
	"contains_personal_data": true,
	"legal_basis": "consent",
	"consent_record": "support terms v4",
	"purpose": "training the triage model",
	"retention": {"days": 730, "deletion": "re-export without deleted customers"},
	"access": {"policy": "granted by the data owner", "roles": ["ml-training"]},
}

articles := {
	"name": "kb",
	"contains_personal_data": false,
	"purpose": "grounding",
	"retention": {"days": 365, "deletion": "removed at next sync"},
	"access": {"policy": "pipeline only", "roles": ["ingestion"]},
}

evidence(datasets) := {"manifest": {"source": "ai-system.yaml", "declared": {"datasets": datasets}, "prompt_templates": []}}

test_pass_when_every_dataset_is_governed if {
	control.applicable with input as evidence([tickets, articles])
	count(control.deny) == 0 with input as evidence([tickets, articles])
}

test_fail_for_personal_data_without_basis_and_missing_fields if {
	scraped := {"name": "scrape", "contains_personal_data": true, "retention": {"days": 5000}}
	denied := control.deny with input as evidence([scraped])
	{entry.finding | some entry in denied} == {
		"dataset:scrape:purpose", "dataset:scrape:access", "dataset:scrape:retention",
		"dataset:scrape:deletion", "dataset:scrape:legal-basis",
	}
}

test_fail_for_consent_without_a_record_or_an_unstated_personal_data_flag if {
	no_record := object.remove(tickets, ["consent_record"])
	unstated := object.remove(articles, ["contains_personal_data"])
	denied := control.deny with input as evidence([no_record, unstated])
	{entry.finding | some entry in denied} == {"dataset:tickets:consent-record", "dataset:kb:personal-data"}
}

test_fail_without_datasets if {
	denied := control.deny with input as evidence([])
	{entry.finding | some entry in denied} == {"datasets:none"}
}

test_threshold_sets_the_longest_retention if {
	denied := control.deny with input as evidence([tickets, articles])
		with data.gatekeeper.config.ai_system.max_retention_days as 400
	{entry.finding | some entry in denied} == {"dataset:tickets:retention"}
}

test_no_evidence_without_a_manifest if {
	not control.applicable with input as {}
}
