package gatekeeper.controls.dat.encryption_configured_test

import rego.v1

import data.gatekeeper.controls.dat.encryption_configured

run(passed) := {"tool": "checkov", "source": "checkov.json", "format": "checkov-json:terraform", "categories": ["iac"], "finding_count": 0, "passed_rules": passed}

finding(rule_id, suppressed) := {
	"tool": "checkov", "category": "iac", "rule_id": rule_id, "severity": "high",
	"message": "Ensure all data stored in the S3 bucket is securely encrypted at rest (aws_s3_bucket.models)",
	"file": "terraform/storage.tf", "line": 1, "suppressed": suppressed,
	"key": sprintf("%s@terraform/storage.tf:1", [rule_id]), "source": "checkov.json",
}

scan(passed, found) := {"scans": {"runs": [run(passed)], "findings": found}}

test_pass_when_encryption_checks_passed if {
	clean := scan(["CKV_AWS_19", "CKV_AWS_145", "CKV_AWS_21"], [])
	encryption_configured.applicable with input as clean
	denied := encryption_configured.deny with input as clean
	count(denied) == 0
	encryption_configured.details == {"evaluated_checks": ["CKV_AWS_145", "CKV_AWS_19"]} with input as clean
}

test_fail_on_a_failed_encryption_check if {
	failing := scan(["CKV_AWS_145"], [finding("CKV_AWS_19", false)])
	denied := encryption_configured.deny with input as failing
	some entry in denied
	entry.finding == "CKV_AWS_19@terraform/storage.tf:1"
}

test_a_trivy_failure_counts_as_evaluated if {
	trivy := object.union(finding("AWS-0132", false), {"tool": "trivy"})
	found := {"scans": {"runs": [{"tool": "trivy", "source": "t.json", "format": "trivy-json", "categories": ["iac"], "finding_count": 1}], "findings": [trivy]}}
	encryption_configured.applicable with input as found
	denied := encryption_configured.deny with input as found
	count(denied) == 1
}

test_a_suppressed_check_warns if {
	skipped := scan(["CKV_AWS_145"], [finding("CKV_AWS_19", true)])
	denied := encryption_configured.deny with input as skipped
	count(denied) == 0
	warned := encryption_configured.warn with input as skipped
	count(warned) == 1
}

test_other_iac_findings_do_not_count if {
	other := scan(["CKV_AWS_19"], [finding("CKV_AWS_18", false)])
	denied := encryption_configured.deny with input as other
	count(denied) == 0
}

test_no_evidence_when_no_encryption_check_ran if {
	not encryption_configured.applicable with input as {}
	not encryption_configured.applicable with input as scan(["CKV_K8S_8"], [])
	not encryption_configured.applicable with input as scan(["CKV_AWS_19"], []) with data.gatekeeper.config.encryption.checks as ["CKV_GCP_92"]
}
