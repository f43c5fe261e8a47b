# METADATA
# title: Model weights are stored encrypted and reachable only by named least-privilege roles
# description: >-
#   For every model in the system manifest: a self-hosted model's storage is encrypted at rest
#   with a named mechanism and key; every model lists its access roles with named principals
#   (no wildcard, public or all-users principal), and at most ai_system.max_model_writer_roles
#   roles may write, delete or administer the weights. Where the evidence has an IaC scan, a
#   failing encryption check (thresholds.encryption.checks, e.g. an S3 bucket without KMS)
#   contradicts the declared encryption and fails this control too. Otherwise these are declared
#   facts, weaker than a measurement: the control requires the concrete key and roles, which
#   the storage's infrastructure code and the registry's access policy must carry.
# custom:
#   severity: high
#   questions: [MOD-Q1]
#   waivable: true
#   remediation: >-
#     Encrypt the model store with a managed key and grant access per role: serving reads,
#     the release pipeline writes, few administer. Declare storage.encryption and access_roles
#     for each model in ai-system.yaml.
#   evidence: [manifest]
#   strength: declared
#   frameworks:
#     nist_ai_rmf: [MANAGE 2.2, MEASURE 2.7]
#     owasp_llm: [LLM03:2025, LLM02:2025]
#     atlas: [AML.T0035, AML.M0005, AML.M0012, AML.M0019]
#     saif: [MXF, controlModelAndDataAccessControls]
package gatekeeper.controls.mod.model_storage_protected

import rego.v1

import data.gatekeeper.lib.findings
import data.gatekeeper.lib.manifest

public_principals := {"*", "public", "allusers", "allauthenticatedusers", "everyone", "anonymous"}

writer_permissions := {"write", "delete", "admin"}

configured_checks := object.get(data.gatekeeper.config, ["encryption", "checks"], [])

encryption_checks := {id | some id in configured_checks}

# Measured: IaC findings of the encryption checks that failed and are not suppressed (the
# findings as the library groups them once per evaluation, not another walk over all of them).
encryption_failures := [finding |
	wanted := encryption_checks # bound before the walk, not looked up on every step
	some finding in findings.of_category("iac")
	finding.rule_id in wanted
	not finding.suppressed
]

declares_encryption if {
	some model in manifest.models
	object.get(model, ["storage", "encryption", "at_rest"], null) != null
}

applicable if input.manifest

deny contains manifest.entry(msg, "models:none") if {
	count(manifest.models) == 0
	msg := "the manifest declares no model, so no model storage can be checked"
}

deny contains manifest.entry(msg, sprintf("model:%s:encryption", [model.name])) if {
	some model in manifest.models
	model.hosting == "self-hosted"
	some field in ["at_rest", "key"]
	object.get(model, ["storage", "encryption", field], null) == null
	msg := sprintf("model %s: storage encryption at rest names no %s (storage.encryption.%s)", [
		model.name, replace(field, "_", " "), field,
	])
}

deny contains manifest.entry(msg, sprintf("model:%s:access-roles", [model.name])) if {
	some model in manifest.models
	count(object.get(model, "access_roles", [])) == 0
	msg := sprintf("model %s lists no access roles (access_roles)", [model.name])
}

deny contains manifest.entry(msg, sprintf("model:%s:role:%s:public", [model.name, role.role])) if {
	some model in manifest.models
	some role in object.get(model, "access_roles", [])
	some principal in role.principals
	lower(principal) in public_principals
	msg := sprintf("model %s: role %s is granted to %q, i.e. to everyone", [model.name, role.role, principal])
}

deny contains manifest.entry(msg, sprintf("model:%s:writers", [model.name])) if {
	some model in manifest.models
	writers := [role.role | some role in object.get(model, "access_roles", []); can_write(role)]
	count(writers) > manifest.config.max_model_writer_roles
	msg := sprintf("model %s: %d roles can change or delete the weights (%v); at most %d", [
		model.name, count(writers), writers, manifest.config.max_model_writer_roles,
	])
}

deny contains {"msg": msg, "finding": finding.key, "file": finding.file, "line": finding.line} if {
	declares_encryption
	some finding in encryption_failures
	msg := sprintf("model storage is declared encrypted, but the IaC scan fails %s: %s", [
		finding.rule_id, finding.message,
	])
}

can_write(role) if {
	some permission in role.permissions
	permission in writer_permissions
}

deny contains problem if some problem in manifest.placeholder_problems(["models.storage"])
