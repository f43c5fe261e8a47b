package gatekeeper.controls.sdl.secrets_clean_test

import rego.v1

import data.gatekeeper.controls.sdl.secrets_clean

run(categories) := {"tool": "gitleaks", "source": "scan.sarif", "format": "sarif", "categories": categories, "finding_count": 1}

finding(severity) := {
	"tool": "gitleaks", "category": "secrets", "rule_id": "aws-access-key", "severity": severity,
	"message": "finding", "file": "target", "line": 1,
	"suppressed": false, "key": "aws-access-key@target:1", "source": "scan.sarif",
}

scan(findings) := {"scans": {"runs": [run(["secrets"])], "findings": findings}}

test_pass_with_a_clean_scan if {
	secrets_clean.applicable with input as scan([])
	count(secrets_clean.deny) == 0 with input as scan([])
}

test_fail_on_a_finding_at_the_threshold if {
	denied := secrets_clean.deny with input as scan([finding("info")])
	some entry in denied
	entry.finding == "aws-access-key@target:1"
}

test_other_categories_do_not_count if {
	other := object.union(finding("critical"), {"category": "sast"})
	count(secrets_clean.deny) == 0 with input as scan([other])
}

test_no_evidence_without_a_secrets_scan if {
	not secrets_clean.applicable with input as {"scans": {"runs": [run(["sast"])], "findings": []}}
	not secrets_clean.applicable with input as {}
}

test_an_untrusted_suppression_still_blocks if {
	suppressed := object.union(finding("info"), {"suppressed": true})
	count(secrets_clean.deny) == 1 with input as scan([suppressed])
	count(secrets_clean.suppressed) == 0 with input as scan([suppressed])
}

test_a_trusted_suppression_is_waived if {
	trusted := object.union(finding("info"), {"suppressed": true, "suppression_trusted": true})
	count(secrets_clean.deny) == 0 with input as scan([trusted])
	waived := secrets_clean.suppressed with input as scan([trusted])
	some entry in waived
	entry.waived_by == "in-source suppression (gitleaks)"
}

test_an_inconclusive_scan_fails if {
	failed := object.union(run(["secrets"]), {"inconclusive": true, "skipped": [{"name": "*", "reason": "scanned nothing"}]})
	denied := secrets_clean.deny with input as {"scans": {"runs": [failed], "findings": []}}
	some entry in denied
	entry.finding == "scan.sarif:inconclusive"
}
