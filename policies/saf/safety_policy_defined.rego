# METADATA
# title: A safety policy defines misuse, restricted domains and refusal guidance
# description: >-
#   The AI safety policy (evidence.documents.safety_policy, Markdown) holds every section of
#   thresholds.documents.safety_policy.required_sections -- by default the misuse and abuse it
#   guards against (a harm taxonomy), the restricted domains, the refusal guidance (when and
#   how the system declines, and what it offers instead), and escalation and reporting of
#   harms -- each with content.
# custom:
#   severity: high
#   questions: [SAF-Q1]
#   waivable: true
#   applies_to: [llm-app, rag, agent]
#   remediation: >-
#     Write the system's safety policy with a section for each of: the misuse and abuse it
#     must resist, the restricted domains (for example medical, legal or financial advice,
#     weapons, self-harm), the refusal guidance with examples, and how harms are escalated and
#     reported; list it under evidence.documents.safety_policy.
#   evidence: [documents.safety_policy]
#   strength: documented
#   frameworks:
#     nist_ai_rmf: [GOVERN 4.1, MAP 3.3, MEASURE 2.6]
#     atlas: [AML.M0021]
#     saif: [controlUserPoliciesAndEducation, controlProductGovernance, IMO]
package gatekeeper.controls.saf.safety_policy_defined

import rego.v1

import data.gatekeeper.lib.documents

applicable if input.documents.safety_policy

deny contains problem if some problem in documents.section_problems("safety_policy", "required_sections")
