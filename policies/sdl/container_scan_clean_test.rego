package gatekeeper.controls.sdl.container_scan_clean_test

import rego.v1

import data.gatekeeper.controls.sdl.container_scan_clean

run(categories) := {"tool": "grype", "source": "scan.sarif", "format": "sarif", "categories": categories, "finding_count": 1}

finding(severity) := {
	"tool": "grype", "category": "container", "rule_id": "CVE-2024-0001", "severity": severity,
	"message": "finding", "file": "target", "line": 1,
	"suppressed": false, "key": "CVE-2024-0001@target:1", "source": "scan.sarif",
}

scan(findings) := {"scans": {"runs": [run(["container"])], "findings": findings}}

test_pass_with_a_clean_scan if {
	container_scan_clean.applicable with input as scan([])
	count(container_scan_clean.deny) == 0 with input as scan([])
}

test_fail_on_a_finding_at_the_threshold if {
	denied := container_scan_clean.deny with input as scan([finding("high")])
	some entry in denied
	entry.finding == "CVE-2024-0001@target:1"
}

test_other_categories_do_not_count if {
	other := object.union(finding("critical"), {"category": "sast"})
	count(container_scan_clean.deny) == 0 with input as scan([other])
}

test_no_evidence_without_a_container_scan if {
	not container_scan_clean.applicable with input as {"scans": {"runs": [run(["sast"])], "findings": []}}
	not container_scan_clean.applicable with input as {}
}

test_an_untrusted_suppression_still_blocks if {
	suppressed := object.union(finding("high"), {"suppressed": true})
	count(container_scan_clean.deny) == 1 with input as scan([suppressed])
	count(container_scan_clean.suppressed) == 0 with input as scan([suppressed])
}

test_a_trusted_suppression_is_waived if {
	trusted := object.union(finding("high"), {"suppressed": true, "suppression_trusted": true})
	count(container_scan_clean.deny) == 0 with input as scan([trusted])
	waived := container_scan_clean.suppressed with input as scan([trusted])
	some entry in waived
	entry.waived_by == "in-source suppression (grype)"
}

test_an_inconclusive_scan_fails if {
	failed := object.union(run(["container"]), {"inconclusive": true, "skipped": [{"name": "*", "reason": "scanned nothing"}]})
	denied := container_scan_clean.deny with input as {"scans": {"runs": [failed], "findings": []}}
	some entry in denied
	entry.finding == "scan.sarif:inconclusive"
}
