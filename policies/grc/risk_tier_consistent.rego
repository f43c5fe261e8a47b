# METADATA
# title: The EU AI Act risk tier is assessed and the manifest holds what the tier requires
# description: >-
#   The system manifest (ai-system.yaml) declares an EU AI Act risk category (an unknown one is
#   an evidence error), with the intake assessment that set it (rationale, who, when; not older
#   than ai_system.risk_assessment_max_age_days), and fills every section its tier requires by
#   ai_system.tier_requirements -- for a high-risk system human review of sensitive tasks, incident
#   contacts, telemetry, user disclosures and rollback. A prohibited tier fails. The tier is a
#   declared fact, weaker evidence than a measurement: the control checks that it is decided,
#   recent and consistent with the rest of the manifest, not that the tier is right.
# custom:
#   severity: high
#   questions: [GRC-Q1]
#   waivable: false
#   remediation: >-
#     Record the intake decision in ai-system.yaml (system.risk_tier, system.risk_assessment with
#     rationale, assessed_by and assessed_on), re-assess it yearly, and declare the sections the
#     tier needs (see docs/ai-system.md, "Risk tier").
#   evidence: [manifest]
#   strength: declared
#   frameworks:
#     nist_ai_rmf: [GOVERN 1.1, GOVERN 1.3, MAP 1.1, MAP 3.3]
#     saif: [controlRiskGovernance, controlProductGovernance]
package gatekeeper.controls.grc.risk_tier_consistent

import rego.v1

import data.gatekeeper.lib.manifest

tier := manifest.declared.system.risk_tier

assessment := manifest.declared.system.risk_assessment

applicable if input.manifest

deny contains manifest.entry(msg, "risk-tier:prohibited") if {
	tier in manifest.config.prohibited_tiers
	msg := sprintf("risk tier %s is a prohibited AI practice (EU AI Act Art. 5): it may not ship", [tier])
}

deny contains manifest.entry(msg, sprintf("risk-tier:requires:%s", [section])) if {
	some section in object.get(manifest.config.tier_requirements, tier, [])
	not filled(section)
	msg := sprintf("risk tier %s requires '%s', which the manifest does not declare", [tier, section])
}

deny contains manifest.entry(msg, "risk-tier:assessment") if {
	not assessment
	msg := "the risk tier has no intake assessment (system.risk_assessment: rationale, assessed_by, assessed_on)"
}

deny contains manifest.entry(msg, "risk-tier:assessment-stale") if {
	age := age_days(assessment.assessed_on)
	age > manifest.config.risk_assessment_max_age_days
	msg := sprintf("the risk assessment of %s is %d days old (at most %d): re-assess the tier", [
		assessment.assessed_on, age, manifest.config.risk_assessment_max_age_days,
	])
}

deny contains manifest.entry(msg, "risk-tier:assessment-future") if {
	age_days(assessment.assessed_on) < 0
	msg := sprintf("the risk assessment is dated %s, after the evidence was collected", [assessment.assessed_on])
}

# Whole days from the assessment date to the collection time.
age_days(date) := floor((time.parse_rfc3339_ns(input.collected_at) - time.parse_ns("2006-01-02", date)) / (24 * 3600 * 1000000000))

# A required section counts when it holds something; human review needs its sensitive tasks.
filled("human_review") if count(manifest.declared.human_review.sensitive_tasks) > 0

filled(section) if {
	section != "human_review"
	count(manifest.declared[section]) > 0
}

details := {"risk_tier": tier, "requires": object.get(manifest.config.tier_requirements, tier, [])}

deny contains problem if some problem in manifest.placeholder_problems(["system"])
