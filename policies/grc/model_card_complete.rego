# METADATA
# title: A model card with its required sections ships with the release
# description: >-
#   The release's model card (evidence.documents.model_card, Markdown) holds every section
#   listed in thresholds.documents.model_card.required_sections -- by default model details,
#   intended use, training data, evaluation, and limitations and risks -- each with content.
# custom:
#   severity: medium
#   questions: [GRC-Q3]
#   waivable: true
#   remediation: >-
#     Write the model card from a template (Hugging Face's model card template or Mitchell
#     et al., "Model Cards for Model Reporting") and keep it in the repository next to the
#     model; list it under evidence.documents.model_card.
#   evidence: [documents.model_card]
#   strength: documented
#   frameworks:
#     nist_ai_rmf: [MAP 2.2, MEASURE 2.9, GOVERN 4.2]
#     saif: [controlUserTransparencyAndControls, controlProductGovernance]
package gatekeeper.controls.grc.model_card_complete

import rego.v1

import data.gatekeeper.lib.documents

applicable if input.documents.model_card

deny contains problem if some problem in documents.section_problems("model_card", "required_sections")
