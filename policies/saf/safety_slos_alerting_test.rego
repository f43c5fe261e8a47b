package gatekeeper.controls.saf.safety_slos_alerting_test

import rego.v1

import data.gatekeeper.controls.saf.safety_slos_alerting as control

contacts := [{"id": "trust-safety", "name": "T&S", "hours": "24x7", "pager": "pd:ts"}]

toxicity := {"metric": "toxicity_rate", "kind": "safety", "objective": {"max": 0.01}, "window": "7d", "alert_route": "trust-safety"}

evidence(slos, measured) := {
	"manifest": {"source": "ai-system.yaml", "declared": {"incident_contacts": contacts, "slos": slos}, "prompt_templates": []},
	"evals": {"runs": [], "attacks": [], "metrics": measured},
}

measured_ok := [{"name": "toxicity_rate", "value": 0.003, "source": "metrics.yaml"}]

test_pass_with_an_alerting_safety_slo_that_holds if {
	control.applicable with input as evidence([toxicity], measured_ok)
	count(control.deny) == 0 with input as evidence([toxicity], measured_ok)
}

test_fail_for_a_regression_and_no_alerting if {
	silent := object.remove(toxicity, ["alert_route", "window"])
	regressed := [{"name": "toxicity_rate", "value": 0.2, "source": "metrics.yaml"}]
	denied := control.deny with input as evidence([silent], regressed)
	{entry.finding | some entry in denied} == {"slo:toxicity_rate:alert", "slo:toxicity_rate:window", "slo:toxicity_rate:breached"}
}

test_fail_without_safety_slos if {
	behaviour := [{"metric": "groundedness", "kind": "behaviour", "objective": {"min": 0.9}}]
	denied := control.deny with input as evidence(behaviour, [])
	{entry.finding | some entry in denied} == {"slo:toxicity_rate:missing", "slo:safety:none"}
}

test_fail_when_not_measured if {
	denied := control.deny with input as evidence([toxicity], [])
	{entry.finding | some entry in denied} == {"slo:toxicity_rate:unmeasured"}
}

test_thresholds_name_the_required_safety_metrics if {
	denied := control.deny with input as evidence([toxicity], measured_ok)
		with data.gatekeeper.config.ai_system.safety_slos as [{"metric": "toxicity_rate", "max": 0.001}]
	{entry.finding | some entry in denied} == {"slo:toxicity_rate:weak"}
}

test_no_evidence_without_a_manifest if {
	not control.applicable with input as {}
}
