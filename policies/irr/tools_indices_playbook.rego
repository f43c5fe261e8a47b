# METADATA
# title: Incident playbooks disable tools and quarantine and rebuild vector indices
# description: >-
#   The AI incident response playbooks (evidence.documents.incident_playbooks) hold the
#   procedures of thresholds.documents.incident_playbooks.tool_and_index_procedures -- by
#   default disabling an agent's tools or functions, and quarantining and rebuilding a vector
#   index suspected of poisoning -- each with content.
# custom:
#   severity: high
#   questions: [IRR-Q3]
#   waivable: true
#   applies_to: [rag, agent]
#   remediation: >-
#     Write the procedures for turning off each tool or function the system may call (the
#     switch, who may flip it, how users are told) and for quarantining a vector index and
#     rebuilding it from signed, known-good sources; rehearse them.
#   evidence: [documents.incident_playbooks]
#   strength: documented
#   frameworks:
#     nist_ai_rmf: [MANAGE 2.4, MANAGE 2.3]
#     owasp_llm: [LLM06:2025, LLM08:2025, LLM04:2025]
#     saif: [controlIncidentResponseManagement, controlAgentPluginPermissions, RA, DP]
package gatekeeper.controls.irr.tools_indices_playbook

import rego.v1

import data.gatekeeper.lib.documents

applicable if input.documents.incident_playbooks

deny contains problem if some problem in documents.section_problems("incident_playbooks", "tool_and_index_procedures")
