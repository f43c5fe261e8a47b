# METADATA
# title: A recent privacy QA audit and incident drill covered the labeling process
# description: >-
#   The record of the latest privacy QA audit of the labeling (annotation) process
#   (evidence.documents.labeling_audit, Markdown) states its date in its front matter, is not
#   older than thresholds.documents.labeling_audit.max_age_days, and holds the sections of
#   required_sections -- by default the privacy QA (sampled items checked for personal data
#   and redaction), a labeling incident drill, and findings and actions -- with content.
# custom:
#   severity: medium
#   questions: [HIL-Q4]
#   waivable: true
#   applies_to: [training-pipeline]
#   remediation: >-
#     Audit a sample of labeled items and annotator sessions for personal data the redaction
#     missed, run a drill of a labeling privacy incident (a leaked batch, an annotator
#     exporting data), and record both with the date in the front matter (docs/documents.md).
#   evidence: [documents.labeling_audit]
#   strength: documented
#   frameworks:
#     nist_ai_rmf: [MEASURE 2.10, GOVERN 6.1, MANAGE 4.3]
#     saif: [controlUserDataManagement, controlTrainingDataManagement, SDD]
package gatekeeper.controls.hil.privacy_qa_labeling_drill

import rego.v1

import data.gatekeeper.lib.documents

applicable if input.documents.labeling_audit

deny contains problem if some problem in documents.problems("labeling_audit")
