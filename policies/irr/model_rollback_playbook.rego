# METADATA
# title: An incident playbook rolls back or pins the model to its last known good version
# description: >-
#   The AI incident response playbooks (evidence.documents.incident_playbooks) hold the
#   procedures of thresholds.documents.incident_playbooks.rollback_procedures -- by default how
#   to roll the serving model back to, or pin it at, the last known good version -- each with
#   content, so that a model can be rolled back quickly during an incident.
# custom:
#   severity: high
#   questions: [IRR-Q2]
#   waivable: true
#   remediation: >-
#     Write the rollback procedure as steps an on-call engineer can follow: where the last
#     known good version is recorded, the command or pipeline that redeploys it, how the pin is
#     held until the incident closes, and how the rollback is verified.
#   evidence: [documents.incident_playbooks]
#   strength: documented
#   frameworks:
#     nist_ai_rmf: [MANAGE 2.3, MANAGE 2.4]
#     saif: [controlIncidentResponseManagement, MDT]
package gatekeeper.controls.irr.model_rollback_playbook

import rego.v1

import data.gatekeeper.lib.documents

applicable if input.documents.incident_playbooks

deny contains problem if some problem in documents.section_problems("incident_playbooks", "rollback_procedures")
