# METADATA
# title: The DPIA is approved by someone other than its owner, and recently
# description: >-
#   The data protection impact assessment (evidence.documents.dpia, Markdown) states in its
#   front matter its owner, who approved it and when (thresholds.documents.dpia.required_facts);
#   the approver is not the owner, and the approval is not older than
#   thresholds.documents.dpia.max_age_days, counted to the run's time. The document in the
#   repository, with its history, is the audit trail of the approval.
# custom:
#   severity: high
#   questions: [GRC-Q2, DAT-Q3]
#   waivable: true
#   remediation: >-
#     Have the DPIA reviewed and approved by the data protection officer (or the role your
#     charter names) and record owner, approved_by and approved_on in its YAML front matter
#     (docs/documents.md); review and re-approve it when the system or its data change, and at
#     least within the maximum age.
#   evidence: [documents.dpia]
#   strength: documented
#   frameworks:
#     nist_ai_rmf: [GOVERN 1.1, GOVERN 4.2, MEASURE 2.10]
#     saif: [controlRiskGovernance, controlUserDataManagement]
package gatekeeper.controls.grc.dpia_approved

import rego.v1

import data.gatekeeper.lib.documents

applicable if input.documents.dpia

deny contains problem if some problem in documents.fact_problems("dpia")

deny contains problem if some problem in documents.dated_problems("dpia")

deny contains problem if some problem in documents.approval_problems("dpia")
