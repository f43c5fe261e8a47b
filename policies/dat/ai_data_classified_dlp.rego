# METADATA
# title: AI data is classified and DLP covers prompts, embeddings and retrievals
# description: >-
#   The system manifest labels every dataset with a classification from
#   ai_system.classification_labels, and declares a data-loss-prevention entry for every AI data
#   flow in ai_system.dlp_flows (by default prompts, embeddings and retrievals), each with the
#   classification of the data in the flow, the filter that enforces it and its action (redact,
#   block, mask, tokenize). Declared, not measured: the control requires the concrete flow-by-flow
#   coverage; leakage tests in the evaluation evidence are what show the filters work.
# custom:
#   severity: high
#   questions: [DAT-Q1]
#   waivable: true
#   applies_to: [llm-app, rag, agent]
#   remediation: >-
#     Give each dataset in ai-system.yaml a classification label, and add guardrails.dlp entries
#     for prompts, embeddings and retrievals naming the PII / secrets filter that runs on each.
#   evidence: [manifest]
#   strength: declared
#   frameworks:
#     nist_ai_rmf: [MAP 4.1, MEASURE 2.10, MANAGE 1.3]
#     owasp_llm: [LLM02:2025, LLM08:2025]
#     atlas: [AML.T0057, AML.M0012]
#     saif: [SDD, controlUserDataManagement, controlPrivacyEnhancingTechnologies]
package gatekeeper.controls.dat.ai_data_classified_dlp

import rego.v1

import data.gatekeeper.lib.manifest

labels := manifest.config.classification_labels

datasets := object.get(manifest.declared, "datasets", [])

dlp := object.get(object.get(manifest.declared, "guardrails", {}), "dlp", [])

applicable if input.manifest

deny contains manifest.entry(msg, "datasets:none") if {
	count(datasets) == 0
	msg := "the manifest declares no dataset, so no data classification can be checked"
}

deny contains manifest.entry(msg, sprintf("dataset:%s:classification", [dataset.name])) if {
	some dataset in datasets
	label := object.get(dataset, "classification", "none")
	not label in labels
	msg := sprintf("dataset %s has no classification label from %v (got %v)", [dataset.name, labels, label])
}

deny contains manifest.entry(msg, sprintf("dlp:%s", [flow])) if {
	some flow in manifest.config.dlp_flows
	not covered(flow)
	msg := sprintf("no DLP is declared for %s (guardrails.dlp: flow, classification, filter, action)", [flow])
}

deny contains manifest.entry(msg, sprintf("dlp:%s:classification", [entry.flow])) if {
	some entry in dlp
	not entry.classification in labels
	msg := sprintf("the %s flow's classification %q is not one of %v", [entry.flow, entry.classification, labels])
}

covered(flow) if {
	some entry in dlp
	entry.flow == flow
}

details := {
	"datasets": {dataset.name: object.get(dataset, "classification", null) | some dataset in datasets},
	"dlp": {entry.flow: entry.filter | some entry in dlp},
}

deny contains problem if some problem in manifest.placeholder_problems(["guardrails.dlp", "datasets.access"])
