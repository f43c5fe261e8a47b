package gatekeeper.controls.mon.ai_threat_detectors_test

import rego.v1

import data.gatekeeper.controls.mon.ai_threat_detectors as control

contacts := [{"id": "sec", "name": "Security", "hours": "24x7", "pager": "pd:sec"}]

detectors := [
	{"name": "injection", "threat": "prompt_injection", "engine": "llm-guard", "action": "block", "alert_route": "sec"},
	{"name": "leakage", "threat": "data_leakage", "engine": "presidio", "action": "block", "alert_route": "sec"},
	{"name": "extraction", "threat": "model_extraction", "engine": "query analytics", "action": "throttle", "alert_route": "sec"},
]

evidence(list) := {"manifest": {
	"source": "ai-system.yaml",
	"declared": {"incident_contacts": contacts, "telemetry": {"detectors": list}},
	"prompt_templates": [],
}}

test_pass_with_a_detector_per_threat if {
	control.applicable with input as evidence(detectors)
	count(control.deny) == 0 with input as evidence(detectors)
	control.details.model_extraction == "extraction" with input as evidence(detectors)
}

test_fail_for_a_missing_threat_and_an_unrouted_detector if {
	partial := [detectors[0], {"name": "leakage", "threat": "data_leakage", "alert_route": "nobody"}]
	denied := control.deny with input as evidence(partial)
	{entry.finding | some entry in denied} == {
		"detector:model_extraction", "detector:leakage:engine", "detector:leakage:action", "detector:leakage:alert",
	}
}

test_thresholds_name_the_required_threats if {
	denied := control.deny with input as evidence([detectors[0]])
		with data.gatekeeper.config.ai_system.required_detectors as ["prompt_injection"]
	count(denied) == 0
}

test_no_evidence_without_a_manifest if {
	not control.applicable with input as {}
}
