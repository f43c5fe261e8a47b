package gatekeeper.controls.mon.drift_anomaly_monitored_test

import rego.v1

import data.gatekeeper.controls.mon.drift_anomaly_monitored as control

models := [{"name": "scorer", "version": "1", "hosting": "self-hosted"}]

contacts := [{"id": "oncall", "name": "On-call", "hours": "24x7", "pager": "pd:ml"}]

drift := {"name": "scorer-drift", "kind": "drift", "models": ["scorer"], "signals": ["PSI"], "baseline": "training split", "threshold": "PSI > 0.2", "alert_route": "oncall"}

anomaly := {"name": "usage", "kind": "anomaly", "models": ["scorer"], "signals": ["requests per key"], "baseline": "14 days", "threshold": "score > 0.8", "alert_route": "oncall"}

evidence(list) := {"manifest": {
	"source": "ai-system.yaml",
	"declared": {"models": models, "incident_contacts": contacts, "telemetry": {"monitors": list}},
	"prompt_templates": [],
}}

test_pass_with_drift_and_anomaly_monitors if {
	control.applicable with input as evidence([drift, anomaly])
	count(control.deny) == 0 with input as evidence([drift, anomaly])
}

test_fail_for_a_drift_monitor_without_threshold_or_route if {
	vague := object.remove(drift, ["threshold", "alert_route"])
	denied := control.deny with input as evidence([vague, anomaly])
	{entry.finding | some entry in denied} == {"monitor:scorer-drift:threshold", "monitor:scorer-drift:alert"}
}

test_fail_without_monitors if {
	denied := control.deny with input as evidence([])
	{entry.finding | some entry in denied} == {"model:scorer:drift-monitor", "monitors:anomaly"}
}

test_no_evidence_without_a_manifest if {
	not control.applicable with input as {}
}
