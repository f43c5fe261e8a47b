package gatekeeper.controls.sdl.dependencies_clean_test

import rego.v1

import data.gatekeeper.controls.sdl.dependencies_clean

run(categories) := {"tool": "osv-scanner", "source": "scan.sarif", "format": "sarif", "categories": categories, "finding_count": 1}

finding(severity) := {
	"tool": "osv-scanner", "category": "sca", "rule_id": "GHSA-xxxx-yyyy-zzzz", "severity": severity,
	"message": "finding", "file": "target", "line": 1,
	"suppressed": false, "key": "GHSA-xxxx-yyyy-zzzz@target:1", "source": "scan.sarif",
}

scan(findings) := {"scans": {"runs": [run(["sca"])], "findings": findings}}

test_pass_with_a_clean_scan if {
	dependencies_clean.applicable with input as scan([])
	count(dependencies_clean.deny) == 0 with input as scan([])
}

test_fail_on_a_finding_at_the_threshold if {
	denied := dependencies_clean.deny with input as scan([finding("high")])
	some entry in denied
	entry.finding == "GHSA-xxxx-yyyy-zzzz@target:1"
}

test_other_categories_do_not_count if {
	other := object.union(finding("critical"), {"category": "sast"})
	count(dependencies_clean.deny) == 0 with input as scan([other])
}

test_no_evidence_without_a_sca_scan if {
	not dependencies_clean.applicable with input as {"scans": {"runs": [run(["sast"])], "findings": []}}
	not dependencies_clean.applicable with input as {}
}
