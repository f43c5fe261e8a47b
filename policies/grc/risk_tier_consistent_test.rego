package gatekeeper.controls.grc.risk_tier_consistent_test

import rego.v1

import data.gatekeeper.controls.grc.risk_tier_consistent as control

high := {
	"name": "triage",
	"description": "d",
	"intended_purpose": "p",
	"risk_tier": "EUAIA-RC-HIGH",
	"risk_assessment": {"rationale": "Annex III 4(a)", "assessed_by": "board", "assessed_on": "2026-06-01"},
}

complete := {
	"version": 1,
	"system": high,
	"owners": [{"id": "ml", "name": "ML", "email": "ml@example.com"}],
	"human_review": {"sensitive_tasks": [{"task": "refunds", "mode": "pre-approval", "reviewer_role": "lead"}]},
	"incident_contacts": [{"id": "oncall", "name": "On-call", "hours": "24x7", "pager": "pd:ml"}],
	"telemetry": {"exporter": "otlp"},
	"disclosures": {"safety": {"text": "t"}},
	"rollback": {"automation": "argo"},
}

evidence(declared) := {
	"collected_at": "2026-11-28T12:00:00+00:00",
	"manifest": {"source": "ai-system.yaml", "declared": declared, "prompt_templates": []},
}

test_pass_when_the_high_risk_tier_has_its_safeguards if {
	control.applicable with input as evidence(complete)
	count(control.deny) == 0 with input as evidence(complete)
}

test_fail_when_a_high_risk_system_lacks_human_review_and_contacts if {
	declared := object.remove(complete, ["human_review", "incident_contacts"])
	denied := control.deny with input as evidence(declared)
	findings := {entry.finding | some entry in denied}
	findings == {"risk-tier:requires:human_review", "risk-tier:requires:incident_contacts"}
}

test_fail_for_a_prohibited_tier if {
	declared := object.union(complete, {"system": object.union(high, {"risk_tier": "EUAIA-RC-UNACCEPTABLE"})})
	denied := control.deny with input as evidence(declared)
	some entry in denied
	entry.finding == "risk-tier:prohibited"
}

test_fail_when_the_assessment_is_stale_or_missing if {
	stale := object.union(complete, {"system": object.union(high, {"risk_assessment": object.union(high.risk_assessment, {"assessed_on": "2024-01-01"})})})
	denied := control.deny with input as evidence(stale)
	some entry in denied
	entry.finding == "risk-tier:assessment-stale"
	missing := object.union(object.remove(complete, ["system"]), {"system": object.remove(high, ["risk_assessment"])})
	denied_missing := control.deny with input as evidence(missing)
	some other in denied_missing
	other.finding == "risk-tier:assessment"
}

test_threshold_decides_the_maximum_age if {
	count(control.deny) == 1 with input as evidence(complete)
		with data.gatekeeper.config.ai_system.risk_assessment_max_age_days as 30
}

test_no_evidence_without_a_manifest if {
	not control.applicable with input as {"collected_at": "2026-11-28T12:00:00+00:00"}
}
