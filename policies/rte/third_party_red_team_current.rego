# METADATA
# title: An independent red team tested the AI system recently
# description: >-
#   The report of the latest third-party or independent red-team engagement
#   (evidence.documents.red_team_report, Markdown) names its assessor and date in its front
#   matter, holds the sections of thresholds.documents.red_team_report.required_sections
#   (scope, methodology, findings) with content, and is not older than max_age_days.
# custom:
#   severity: medium
#   questions: [RTE-Q5]
#   waivable: true
#   remediation: >-
#     Commission an independent red team (an outside firm, or an internal team outside the
#     system's line of development) against the AI system at least within the maximum age;
#     keep its report with date and assessor in the front matter (docs/documents.md) and list
#     it under evidence.documents.red_team_report.
#   evidence: [documents.red_team_report]
#   strength: documented
#   frameworks:
#     nist_ai_rmf: [MEASURE 1.3, MEASURE 2.7]
#     saif: [controlRedTeaming, controlAdversarialTrainingAndTesting]
package gatekeeper.controls.rte.third_party_red_team_current

import rego.v1

import data.gatekeeper.lib.documents

applicable if input.documents.red_team_report

deny contains problem if some problem in documents.problems("red_team_report")
