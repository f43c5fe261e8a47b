package gatekeeper.controls.sdl.sast_clean_test

import rego.v1

import data.gatekeeper.controls.sdl.sast_clean

run(categories) := {"tool": "bandit", "source": "bandit.sarif", "format": "sarif", "categories": categories, "finding_count": 1}

finding(severity) := {
	"tool": "bandit", "category": "sast", "rule_id": "B602", "severity": severity,
	"message": "subprocess call with shell=True", "file": "app.py", "line": 3,
	"suppressed": false, "key": "B602@app.py:3", "source": "bandit.sarif",
}

scan(findings) := {"scans": {"runs": [run(["sast"])], "findings": findings}}

test_pass_with_only_low_findings if {
	sast_clean.applicable with input as scan([finding("low")])
	count(sast_clean.deny) == 0 with input as scan([finding("low")])
	count(sast_clean.warn) == 1 with input as scan([finding("low")])
}

test_fail_on_high_finding if {
	denied := sast_clean.deny with input as scan([finding("high")])
	some entry in denied
	entry.finding == "B602@app.py:3"
	entry.file == "app.py"
	entry.line == 3
}

test_suppressed_finding_does_not_block if {
	suppressed := object.union(finding("critical"), {"suppressed": true})
	count(sast_clean.deny) == 0 with input as scan([suppressed])
}

test_threshold_comes_from_config if {
	count(sast_clean.deny) == 0 with input as scan([finding("high")])
		with data.gatekeeper.config.sast.block_at as "critical"
}

test_no_evidence_without_a_sast_scan if {
	not sast_clean.applicable with input as {"scans": {"runs": [run(["secrets"])], "findings": []}}
	not sast_clean.applicable with input as {}
}
