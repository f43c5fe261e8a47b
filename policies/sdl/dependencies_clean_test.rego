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

skipped_run := object.union(run(["sca"]), {
	"tool": "pip-audit", "source": "pip-audit.json", "inconclusive": true,
	"skipped": [{"name": "numpy", "reason": "Dependency not found on PyPI and could not be audited: numpy (2.1.3)"}],
})

test_fail_when_a_dependency_scan_is_inconclusive if {
	inconclusive := {"scans": {"runs": [skipped_run], "findings": []}}
	dependencies_clean.applicable with input as inconclusive
	denied := dependencies_clean.deny with input as inconclusive
	some entry in denied
	entry.finding == "pip-audit.json:inconclusive"
	entry.msg == "pip-audit (pip-audit.json) is inconclusive: 1 not checked (numpy), e.g. numpy: Dependency not found on PyPI and could not be audited: numpy (2.1.3)"
}

test_a_conclusive_scan_does_not_clear_an_inconclusive_one if {
	both := {"scans": {"runs": [run(["sca"]), skipped_run], "findings": []}}
	denied := dependencies_clean.deny with input as both
	count(denied) == 1
}

test_an_untrusted_suppression_still_blocks if {
	suppressed := object.union(finding("high"), {"suppressed": true})
	count(dependencies_clean.deny) == 1 with input as scan([suppressed])
	count(dependencies_clean.suppressed) == 0 with input as scan([suppressed])
}

test_a_trusted_suppression_is_waived if {
	trusted := object.union(finding("high"), {"suppressed": true, "suppression_trusted": true})
	count(dependencies_clean.deny) == 0 with input as scan([trusted])
	waived := dependencies_clean.suppressed with input as scan([trusted])
	some entry in waived
	entry.waived_by == "in-source suppression (osv-scanner)"
}
