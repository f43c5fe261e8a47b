# METADATA
# title: An approved AI governance charter defines roles, a RACI, intake and risk tiering
# description: >-
#   The AI governance charter (evidence.documents.governance_charter, Markdown) holds every
#   section of thresholds.documents.governance_charter.required_sections -- by default roles
#   and responsibilities, a RACI, the intake process and risk tiering (aligned to the EU AI
#   Act categories) -- each with content, and its front matter names its owner, who approved
#   it and when (required_facts).
# custom:
#   severity: medium
#   questions: [GRC-Q1]
#   waivable: true
#   remediation: >-
#     Write the charter with a section for each of roles and responsibilities, the RACI matrix
#     for AI risk decisions, how new AI use cases are taken in, and how each is assigned a risk
#     tier (the EU AI Act categories); have it approved and record owner, approved_by and
#     approved_on in its YAML front matter (docs/documents.md). List it under
#     evidence.documents.governance_charter.
#   evidence: [documents.governance_charter]
#   strength: documented
#   frameworks:
#     nist_ai_rmf: [GOVERN 1.3, GOVERN 1.6, GOVERN 2.1, GOVERN 2.3]
#     saif: [controlRiskGovernance, controlProductGovernance]
package gatekeeper.controls.grc.governance_charter_complete

import rego.v1

import data.gatekeeper.lib.documents

applicable if input.documents.governance_charter

deny contains problem if some problem in documents.problems("governance_charter")
