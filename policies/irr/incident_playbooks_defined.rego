# METADATA
# title: AI incident playbooks define incident types, severities and escalation
# description: >-
#   The AI incident response playbooks (evidence.documents.incident_playbooks, Markdown) hold
#   every section of thresholds.documents.incident_playbooks.required_sections -- by default
#   the AI-specific incident types (prompt injection, data leakage, model extraction,
#   poisoning...), the severity levels and the escalation path with its contacts -- each with
#   content.
# custom:
#   severity: high
#   questions: [IRR-Q1]
#   waivable: true
#   remediation: >-
#     Extend the incident response plan with AI incident types, a severity scale with examples
#     for each, and who is paged and informed at each level; keep the playbooks in the
#     repository and list them under evidence.documents.incident_playbooks.
#   evidence: [documents.incident_playbooks]
#   strength: documented
#   frameworks:
#     nist_ai_rmf: [GOVERN 4.3, MANAGE 2.3, MANAGE 4.3]
#     saif: [controlIncidentResponseManagement]
package gatekeeper.controls.irr.incident_playbooks_defined

import rego.v1

import data.gatekeeper.lib.documents

applicable if input.documents.incident_playbooks

deny contains problem if some problem in documents.section_problems("incident_playbooks", "required_sections")
