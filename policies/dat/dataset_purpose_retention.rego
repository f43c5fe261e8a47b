# METADATA
# title: Every dataset has a purpose, a bounded retention and an access policy
# description: >-
#   For every dataset in the system manifest: a purpose (purpose limitation), a retention period
#   of at most ai_system.max_retention_days with a deletion procedure, and an access policy with
#   the roles that may read it; it says whether it holds personal data, and personal data has a
#   GDPR legal basis -- with a consent record when the basis is consent. Declared facts: the
#   control requires each to be stated concretely, per dataset; it cannot see the storage.
# custom:
#   severity: medium
#   questions: [DAT-Q6]
#   waivable: true
#   remediation: >-
#     Complete each dataset in ai-system.yaml: purpose, retention (days, deletion),
#     access (policy, roles), contains_personal_data and, for personal data, legal_basis (and
#     consent_record for consent). Keep the datasheet consistent with it.
#   evidence: [manifest]
#   strength: declared
#   frameworks:
#     nist_ai_rmf: [MAP 4.1, MEASURE 2.10, GOVERN 1.1]
#     owasp_llm: [LLM02:2025]
#     saif: [EDH, UTD, controlUserDataManagement, controlModelAndDataAccessControls]
package gatekeeper.controls.dat.dataset_purpose_retention

import rego.v1

import data.gatekeeper.lib.manifest

datasets := object.get(manifest.declared, "datasets", [])

applicable if input.manifest

deny contains manifest.entry(msg, "datasets:none") if {
	count(datasets) == 0
	msg := "the manifest declares no dataset, so no purpose, retention or access can be checked"
}

deny contains manifest.entry(msg, sprintf("dataset:%s:%s", [dataset.name, field])) if {
	some dataset in datasets
	some field, text in {
		"purpose": "no purpose (purpose limitation)",
		"retention": "no retention period",
		"access": "no access policy",
	}
	not dataset[field]
	msg := sprintf("dataset %s has %s", [dataset.name, text])
}

deny contains manifest.entry(msg, sprintf("dataset:%s:retention", [dataset.name])) if {
	some dataset in datasets
	dataset.retention.days > manifest.config.max_retention_days
	msg := sprintf("dataset %s is kept %d days, longer than %d", [
		dataset.name, dataset.retention.days, manifest.config.max_retention_days,
	])
}

deny contains manifest.entry(msg, sprintf("dataset:%s:deletion", [dataset.name])) if {
	some dataset in datasets
	dataset.retention
	not dataset.retention.deletion
	msg := sprintf("dataset %s has no deletion procedure (retention.deletion)", [dataset.name])
}

deny contains manifest.entry(msg, sprintf("dataset:%s:access-roles", [dataset.name])) if {
	some dataset in datasets
	dataset.access
	count(object.get(dataset.access, "roles", [])) == 0
	msg := sprintf("dataset %s names no roles that may read it (access.roles)", [dataset.name])
}

deny contains manifest.entry(msg, sprintf("dataset:%s:personal-data", [dataset.name])) if {
	some dataset in datasets
	not is_boolean(object.get(dataset, "contains_personal_data", null))
	msg := sprintf("dataset %s does not say whether it holds personal data (contains_personal_data)", [dataset.name])
}

deny contains manifest.entry(msg, sprintf("dataset:%s:legal-basis", [dataset.name])) if {
	some dataset in datasets
	dataset.contains_personal_data == true
	not dataset.legal_basis
	msg := sprintf("dataset %s holds personal data without a legal basis (legal_basis)", [dataset.name])
}

deny contains manifest.entry(msg, sprintf("dataset:%s:consent-record", [dataset.name])) if {
	some dataset in datasets
	dataset.legal_basis == "consent"
	not dataset.consent_record
	msg := sprintf("dataset %s relies on consent but names no consent record (consent_record)", [dataset.name])
}

deny contains problem if some problem in manifest.placeholder_problems(["datasets.purpose", "datasets.consent_record", "datasets.retention"])
