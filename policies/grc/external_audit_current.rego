# METADATA
# title: A recent external audit or attestation covers the AI system
# description: >-
#   The report of an external audit or attestation (evidence.documents.external_audit,
#   Markdown) names its assessor and date in its front matter, holds the sections of
#   thresholds.documents.external_audit.required_sections (scope, findings or opinion) and is
#   not older than max_age_days. When the system manifest (ai-system.yaml) declares a risk tier
#   listed in required_for_tiers (by default EU AI Act high-risk and GPAI with systemic risk),
#   a missing report fails the control; otherwise the report is the evidence this control needs.
# custom:
#   severity: medium
#   questions: [GRC-Q7]
#   waivable: true
#   remediation: >-
#     Commission an independent audit or attestation of the AI system (conformity assessment,
#     ISO/IEC 42001 certification audit, SOC 2 with AI criteria) at least within the maximum
#     age; keep its summary report with date and assessor in its front matter
#     (docs/documents.md) and list it under evidence.documents.external_audit.
#   evidence: [documents.external_audit, manifest]
#   strength: documented
#   frameworks:
#     nist_ai_rmf: [MEASURE 1.3, GOVERN 1.5]
#     saif: [controlRiskGovernance, controlProductGovernance]
package gatekeeper.controls.grc.external_audit_current

import rego.v1

import data.gatekeeper.lib.documents

settings := data.gatekeeper.config.documents.external_audit

risk_tier := input.manifest.declared.system.risk_tier

audit_required if risk_tier in settings.required_for_tiers

applicable if input.documents.external_audit

applicable if audit_required

deny contains {"msg": msg, "finding": "external_audit:missing", "file": input.manifest.source} if {
	audit_required
	not input.documents.external_audit
	msg := sprintf("the system's risk tier %s requires an external audit, and none is listed under evidence.documents.external_audit", [risk_tier])
}

deny contains problem if some problem in documents.problems("external_audit")

details := {"risk_tier": risk_tier, "audit_required": audit_required_value}

audit_required_value := true if audit_required

audit_required_value := false if not audit_required
