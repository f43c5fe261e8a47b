# METADATA
# title: Incident playbooks purge prompt logs and invalidate caches and tokens
# description: >-
#   The AI incident response playbooks (evidence.documents.incident_playbooks) hold the
#   procedures of thresholds.documents.incident_playbooks.purge_and_invalidate_procedures -- by
#   default purging or redacting sensitive prompt and output logs, and invalidating response
#   caches and revoking tokens and keys -- each with content.
# custom:
#   severity: high
#   questions: [IRR-Q4]
#   waivable: true
#   applies_to: [llm-app, rag, agent]
#   remediation: >-
#     Write the procedures for finding and purging (or redacting) the prompt, output and trace
#     records an incident exposed, including copies in log pipelines and backups, and for
#     flushing semantic and response caches and revoking the API keys, session and OAuth tokens
#     the incident may have leaked.
#   evidence: [documents.incident_playbooks]
#   strength: documented
#   frameworks:
#     nist_ai_rmf: [MANAGE 2.3, MANAGE 4.3]
#     owasp_llm: [LLM02:2025]
#     saif: [controlIncidentResponseManagement, controlUserDataManagement, SDD]
package gatekeeper.controls.irr.purge_invalidate_playbook

import rego.v1

import data.gatekeeper.lib.documents

applicable if input.documents.incident_playbooks

deny contains problem if some problem in documents.section_problems("incident_playbooks", "purge_and_invalidate_procedures")
