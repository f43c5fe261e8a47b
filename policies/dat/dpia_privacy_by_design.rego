# METADATA
# title: The DPIA covers the AI system's data and its privacy-by-design measures
# description: >-
#   The data protection impact assessment (evidence.documents.dpia, Markdown) holds every
#   section of thresholds.documents.dpia.required_sections -- by default the content GDPR
#   Art. 35(7) asks for (the processing, its necessity and proportionality, the risks to
#   individuals, the measures against them) for the AI system's own data (training data,
#   prompts and outputs), and its retention and deletion -- each with content.
# custom:
#   severity: high
#   questions: [DAT-Q3]
#   waivable: true
#   remediation: >-
#     Extend the DPIA to the AI use case: describe the training data, prompts, outputs and
#     embeddings the system processes, why each is needed (minimization), the risks to people
#     (including memorization and leakage through the model), the privacy-by-design measures
#     taken (pseudonymization, PETs, access control) and how long each is kept.
#   evidence: [documents.dpia]
#   strength: documented
#   frameworks:
#     nist_ai_rmf: [MAP 1.6, MEASURE 2.10]
#     owasp_llm: [LLM02:2025]
#     saif: [controlUserDataManagement, controlPrivacyEnhancingTechnologies, SDD, EDH]
package gatekeeper.controls.dat.dpia_privacy_by_design

import rego.v1

import data.gatekeeper.lib.documents

applicable if input.documents.dpia

deny contains problem if some problem in documents.section_problems("dpia", "required_sections")
