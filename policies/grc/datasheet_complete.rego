# METADATA
# title: A datasheet for the training data ships with the release
# description: >-
#   The release's datasheet for its datasets (evidence.documents.datasheet, Markdown) holds
#   every section listed in thresholds.documents.datasheet.required_sections -- by default the
#   seven sections of Gebru et al., "Datasheets for Datasets" -- each with content.
# custom:
#   severity: medium
#   questions: [GRC-Q3]
#   waivable: true
#   remediation: >-
#     Answer the questions of "Datasheets for Datasets" (motivation, composition, collection,
#     preprocessing, uses, distribution, maintenance) for each training dataset and list the
#     file under evidence.documents.datasheet.
#   evidence: [documents.datasheet]
#   strength: documented
#   frameworks:
#     nist_ai_rmf: [MAP 2.3, MEASURE 2.1]
#     atlas: [AML.M0025]
#     saif: [controlTrainingDataManagement]
package gatekeeper.controls.grc.datasheet_complete

import rego.v1

import data.gatekeeper.lib.documents

applicable if input.documents.datasheet

deny contains problem if some problem in documents.section_problems("datasheet", "required_sections")
