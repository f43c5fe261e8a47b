package gatekeeper.controls.sdl.iac_scan_clean_test

import rego.v1

import data.gatekeeper.controls.sdl.iac_scan_clean

run(categories) := {"tool": "checkov", "source": "scan.sarif", "format": "sarif", "categories": categories, "finding_count": 1}

finding(severity) := {
	"tool": "checkov", "category": "iac", "rule_id": "CKV_K8S_16", "severity": severity,
	"message": "finding", "file": "target", "line": 1,
	"suppressed": false, "key": "CKV_K8S_16@target:1", "source": "scan.sarif",
}

scan(findings) := {"scans": {"runs": [run(["iac"])], "findings": findings}}

test_pass_with_a_clean_scan if {
	iac_scan_clean.applicable with input as scan([])
	count(iac_scan_clean.deny) == 0 with input as scan([])
}

test_fail_on_a_finding_at_the_threshold if {
	denied := iac_scan_clean.deny with input as scan([finding("high")])
	some entry in denied
	entry.finding == "CKV_K8S_16@target:1"
}

test_other_categories_do_not_count if {
	other := object.union(finding("critical"), {"category": "sast"})
	count(iac_scan_clean.deny) == 0 with input as scan([other])
}

test_no_evidence_without_a_iac_scan if {
	not iac_scan_clean.applicable with input as {"scans": {"runs": [run(["sast"])], "findings": []}}
	not iac_scan_clean.applicable with input as {}
}

test_an_untrusted_suppression_still_blocks if {
	suppressed := object.union(finding("high"), {"suppressed": true})
	count(iac_scan_clean.deny) == 1 with input as scan([suppressed])
	count(iac_scan_clean.suppressed) == 0 with input as scan([suppressed])
}

test_a_trusted_suppression_is_waived if {
	trusted := object.union(finding("high"), {"suppressed": true, "suppression_trusted": true})
	count(iac_scan_clean.deny) == 0 with input as scan([trusted])
	waived := iac_scan_clean.suppressed with input as scan([trusted])
	some entry in waived
	entry.waived_by == "in-source suppression (checkov)"
}

test_an_inconclusive_scan_fails if {
	failed := object.union(run(["iac"]), {"inconclusive": true, "skipped": [{"name": "*", "reason": "scanned nothing"}]})
	denied := iac_scan_clean.deny with input as {"scans": {"runs": [failed], "findings": []}}
	some entry in denied
	entry.finding == "scan.sarif:inconclusive"
}
