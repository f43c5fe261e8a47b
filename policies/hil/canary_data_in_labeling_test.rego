package gatekeeper.controls.hil.canary_data_in_labeling_test

import rego.v1

import data.gatekeeper.controls.hil.canary_data_in_labeling as control

contacts := [{"id": "sec", "name": "Security", "hours": "24x7", "pager": "pd:sec"}]

evidence(canaries) := {"manifest": {
	"source": "ai-system.yaml",
	"declared": {"incident_contacts": contacts, "labeling": {"platform": "x", "canaries": canaries}},
	"prompt_templates": [],
}}

test_pass_with_canaries_that_alert if {
	canaries := {"method": "canary_records", "per_batch": 5, "alert_route": "sec"}
	control.applicable with input as evidence(canaries)
	count(control.deny) == 0 with input as evidence(canaries)
	count(control.deny) == 0 with input as evidence({"method": "watermark", "alert_route": "sec"})
}

test_fail_for_too_few_canaries_alerting_nobody if {
	denied := control.deny with input as evidence({"method": "canary_records", "per_batch": 0})
	{entry.finding | some entry in denied} == {"labeling:canaries:rate", "labeling:canaries:alert"}
}

test_fail_without_canaries if {
	denied := control.deny with input as evidence({})
	{entry.finding | some entry in denied} == {"labeling:canaries"}
}

test_threshold_sets_the_canaries_per_batch if {
	denied := control.deny with input as evidence({"method": "canary_records", "per_batch": 5, "alert_route": "sec"})
		with data.gatekeeper.config.ai_system.min_canaries_per_batch as 10
	{entry.finding | some entry in denied} == {"labeling:canaries:rate"}
}

test_no_evidence_without_a_manifest if {
	not control.applicable with input as {}
}
