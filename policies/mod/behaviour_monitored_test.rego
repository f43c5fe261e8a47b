package gatekeeper.controls.mod.behaviour_monitored_test

import rego.v1

import data.gatekeeper.controls.mod.behaviour_monitored as control

models := [{"name": "scorer", "version": "1", "hosting": "self-hosted"}, {"name": "llm", "version": "2", "hosting": "provider", "provider": "p"}]

contacts := [{"id": "oncall", "name": "On-call", "hours": "24x7", "pager": "pd:ml"}]

monitors := [
	{"name": "behaviour", "kind": "behaviour", "models": ["scorer", "llm"], "signals": ["toxicity_rate"], "baseline": "W44", "alert_route": "oncall"},
	{"name": "usage", "kind": "anomaly", "models": ["scorer", "llm"], "signals": ["requests per key"], "baseline": "14 days", "alert_route": "oncall"},
]

telemetry(list) := {"captures": {"outputs": {"attributes": ["gen_ai.output.messages"]}}, "monitors": list}

evidence(declared) := {"manifest": {"source": "ai-system.yaml", "declared": declared, "prompt_templates": []}}

test_pass_when_every_model_is_monitored if {
	declared := {"models": models, "incident_contacts": contacts, "telemetry": telemetry(monitors)}
	control.applicable with input as evidence(declared)
	count(control.deny) == 0 with input as evidence(declared)
}

test_fail_for_an_uncovered_model_and_a_silent_monitor if {
	partial := [
		{"name": "behaviour", "kind": "behaviour", "models": ["scorer"], "signals": ["toxicity_rate"], "baseline": "W44", "alert_route": "oncall"},
		{"name": "usage", "kind": "anomaly", "models": ["scorer", "llm"], "alert_route": "nobody"},
	]
	declared := {"models": models, "incident_contacts": contacts, "telemetry": telemetry(partial)}
	denied := control.deny with input as evidence(declared)
	{entry.finding | some entry in denied} == {
		"model:llm:behaviour-monitor", "monitor:usage:signals", "monitor:usage:baseline", "monitor:usage:alert",
	}
}

test_fail_without_telemetry if {
	denied := control.deny with input as evidence({"models": [models[0]]})
	{entry.finding | some entry in denied} == {"telemetry:outputs", "model:scorer:behaviour-monitor", "model:scorer:anomaly-monitor"}
}

test_no_evidence_without_a_manifest if {
	not control.applicable with input as {}
}
