package gatekeeper.controls.grc.external_audit_current_test

import rego.v1

import data.gatekeeper.controls.grc.external_audit_current

report := {
	"path": "docs/audit/EXTERNAL_AUDIT_2026.md", "format": "markdown", "words": 500,
	"sections": [
		{"heading": "Scope", "normalized": "scope", "level": 2, "words": 40},
		{"heading": "Findings", "normalized": "findings", "level": 2, "words": 90},
	],
	"facts": {"date": "2026-06-15T00:00:00Z", "assessor": "Example Assurance LLP"},
	"atlas_techniques": [],
}

manifest(tier) := {"source": "ai-system.yaml", "declared": {"system": {"risk_tier": tier}}}

with_report := {"collected_at": "2026-11-28T12:00:00Z", "documents": {"external_audit": report}}

test_pass_with_a_recent_report if {
	external_audit_current.applicable with input as with_report
	count(external_audit_current.deny) == 0 with input as with_report
}

test_fail_when_the_report_is_stale if {
	stale := {"collected_at": "2026-11-28T12:00:00Z", "documents": {"external_audit": object.union(report, {"facts": {"date": "2025-01-10T00:00:00Z", "assessor": "Example Assurance LLP"}})}}
	denied := external_audit_current.deny with input as stale
	{d.finding | some d in denied} == {"external_audit:stale"}
}

test_fail_without_assessor if {
	anonymous := {"collected_at": "2026-11-28T12:00:00Z", "documents": {"external_audit": object.union(object.remove(report, ["facts"]), {"facts": {"date": "2026-06-15T00:00:00Z"}})}}
	denied := external_audit_current.deny with input as anonymous
	{d.msg | some d in denied} == {"its front matter does not state \"assessor\""}
}

test_fail_for_a_high_risk_system_without_a_report if {
	high := {"collected_at": "2026-11-28T12:00:00Z", "manifest": manifest("EUAIA-RC-HIGH"), "documents": {}}
	external_audit_current.applicable with input as high
	denied := external_audit_current.deny with input as high
	{d.finding | some d in denied} == {"external_audit:missing"}
}

test_high_risk_system_with_a_report_passes if {
	high := object.union(with_report, {"manifest": manifest("EUAIA-RC-HIGH")})
	count(external_audit_current.deny) == 0 with input as high
	external_audit_current.details.audit_required with input as high
}

test_no_evidence_for_a_minimal_risk_system_without_a_report if {
	minimal := {"collected_at": "2026-11-28T12:00:00Z", "manifest": manifest("EUAIA-RC-MINIMAL"), "documents": {}}
	not external_audit_current.applicable with input as minimal
	count(external_audit_current.deny) == 0 with input as minimal
}

test_no_evidence_without_report_or_manifest if {
	not external_audit_current.applicable with input as {"collected_at": "2026-11-28T12:00:00Z"}
	count(external_audit_current.deny) == 0 with input as {"collected_at": "2026-11-28T12:00:00Z"}
}
