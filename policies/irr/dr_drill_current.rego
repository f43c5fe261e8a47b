# METADATA
# title: A recent disaster-recovery drill restored the AI service
# description: >-
#   The record of the latest disaster-recovery or restore drill of the AI service
#   (evidence.documents.dr_drill, Markdown) states its date and outcome in its front matter;
#   the outcome is one of thresholds.documents.dr_drill.passing_outcomes (the restoration was
#   tested and worked), the drill is not older than max_age_days, and the record holds the
#   sections of required_sections (scenario, restoration, results) with content.
# custom:
#   severity: high
#   questions: [IRR-Q5]
#   waivable: true
#   remediation: >-
#     Run a restore drill of the AI service (model weights and registry, vector indices,
#     prompts and configuration, from backups into a clean environment), record the scenario,
#     the restoration steps and the measured recovery times, and state date and outcome in the
#     record's front matter (docs/documents.md). Repeat it within the maximum age.
#   evidence: [documents.dr_drill]
#   strength: documented
#   frameworks:
#     nist_ai_rmf: [MANAGE 2.3, MANAGE 2.4]
#     saif: [controlIncidentResponseManagement]
package gatekeeper.controls.irr.dr_drill_current

import rego.v1

import data.gatekeeper.lib.documents

applicable if input.documents.dr_drill

deny contains problem if some problem in documents.problems("dr_drill")

deny contains documents.entry("dr_drill", msg, "outcome") if {
	outcome := documents.facts("dr_drill").outcome
	not outcome in documents.config.dr_drill.passing_outcomes
	msg := sprintf("the drill's outcome %q is not a passing one (%s): the restoration did not work", [
		outcome, concat(", ", documents.config.dr_drill.passing_outcomes),
	])
}
