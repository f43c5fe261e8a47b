package gatekeeper.controls.mod.model_storage_protected_test

import rego.v1

import data.gatekeeper.controls.mod.model_storage_protected as control

scorer := {
	"name": "scorer", "version": "1.4.0", "hosting": "self-hosted",
	"storage": {"uri": "oci://registry/ml/scorer", "encryption": {"at_rest": "aws-kms", "key": "alias/ml"}},
	"access_roles": [
		{"role": "serving", "principals": ["ml-serving/pull"], "permissions": ["read"]},
		{"role": "release", "principals": ["ci:release"], "permissions": ["read", "write"]},
		{"role": "admin", "principals": ["group:ml-admins"], "permissions": ["admin"]},
	],
}

hosted := {
	"name": "gpt-4o", "version": "2024-11-20", "hosting": "provider", "provider": "azure.ai.openai",
	"access_roles": [{"role": "gateway", "principals": ["llm-gateway/gateway"], "permissions": ["invoke"]}],
}

evidence(models) := {"manifest": {"source": "ai-system.yaml", "declared": {"models": models}, "prompt_templates": []}}

test_pass_for_encrypted_storage_and_named_roles if {
	control.applicable with input as evidence([scorer, hosted])
	count(control.deny) == 0 with input as evidence([scorer, hosted])
}

test_fail_for_unencrypted_public_weights_with_many_writers if {
	open := object.union(object.remove(scorer, ["storage", "access_roles"]), {
		"storage": {"uri": "s3://bucket/model"},
		"access_roles": [
			{"role": "everyone", "principals": ["*"], "permissions": ["read"]},
			{"role": "a", "principals": ["x"], "permissions": ["write"]},
			{"role": "b", "principals": ["y"], "permissions": ["delete"]},
			{"role": "c", "principals": ["z"], "permissions": ["admin"]},
		],
	})
	denied := control.deny with input as evidence([open])
	{entry.finding | some entry in denied} == {
		"model:scorer:encryption", "model:scorer:role:everyone:public", "model:scorer:writers",
	}
}

test_fail_for_a_model_without_roles_or_no_models if {
	denied := control.deny with input as evidence([object.remove(hosted, ["access_roles"])])
	{entry.finding | some entry in denied} == {"model:gpt-4o:access-roles"}
	denied_none := control.deny with input as evidence([])
	{entry.finding | some entry in denied_none} == {"models:none"}
}

test_fail_when_the_iac_scan_contradicts_the_declared_encryption if {
	unencrypted := {
		"tool": "checkov", "category": "iac", "rule_id": "CKV_AWS_145", "severity": "high",
		"message": "Ensure that S3 buckets are encrypted with KMS by default", "key": "CKV_AWS_145@deploy/terraform/store.tf:1",
		"file": "deploy/terraform/store.tf", "line": 1, "suppressed": false, "source": "checkov.json",
	}
	scans := {"runs": [], "findings": [unencrypted, object.union(unencrypted, {"rule_id": "CKV_AWS_18", "key": "other"})]}
	denied := control.deny with input as object.union(evidence([scorer]), {"scans": scans})
	{entry.finding | some entry in denied} == {"CKV_AWS_145@deploy/terraform/store.tf:1"}
	suppressed := {"runs": [], "findings": [object.union(unencrypted, {"suppressed": true})]}
	count(control.deny) == 0 with input as object.union(evidence([scorer]), {"scans": suppressed})
}

test_only_iac_findings_contradict_the_declared_encryption if {
	elsewhere := {
		"tool": "semgrep", "category": "sast", "rule_id": "CKV_AWS_145", "severity": "high",
		"message": "m", "key": "k", "suppressed": false, "source": "semgrep.sarif",
	}
	count(control.deny) == 0 with input as object.union(evidence([scorer]), {"scans": {"runs": [], "findings": [elsewhere]}})
}

test_threshold_sets_the_number_of_writer_roles if {
	denied := control.deny with input as evidence([scorer])
		with data.gatekeeper.config.ai_system.max_model_writer_roles as 1
	{entry.finding | some entry in denied} == {"model:scorer:writers"}
}

test_no_evidence_without_a_manifest if {
	not control.applicable with input as {}
}
