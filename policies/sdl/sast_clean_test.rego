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

test_an_untrusted_suppression_still_blocks if {
	suppressed := object.union(finding("critical"), {"suppressed": true, "suppression_trusted": false})
	denied := sast_clean.deny with input as scan([suppressed])
	some entry in denied
	entry.finding == "B602@app.py:3"
	contains(entry.msg, "not trusted")
	count(sast_clean.suppressed) == 0 with input as scan([suppressed])
}

test_a_trusted_suppression_is_waived_not_denied if {
	trusted := object.union(finding("critical"), {"suppressed": true, "suppression_trusted": true, "suppression": "reviewed"})
	count(sast_clean.deny) == 0 with input as scan([trusted])
	waived := sast_clean.suppressed with input as scan([trusted])
	some entry in waived
	entry.finding == "B602@app.py:3"
	entry.waived_by == "in-source suppression (bandit)"
	entry.justification == "reviewed"
	not contains(entry.msg, "not trusted")
}

test_trust_without_a_suppression_changes_nothing if {
	trusted_tool := object.union(finding("high"), {"suppression_trusted": true})
	count(sast_clean.deny) == 1 with input as scan([trusted_tool])
	count(sast_clean.suppressed) == 0 with input as scan([trusted_tool])
}

test_an_inconclusive_scan_fails if {
	failed := object.union(run(["sast"]), {"inconclusive": true, "skipped": [{"name": "/runs/0/invocations/0", "reason": "the tool reports executionSuccessful: false"}]})
	denied := sast_clean.deny with input as {"scans": {"runs": [failed], "findings": []}}
	some entry in denied
	entry.finding == "bandit.sarif:inconclusive"
}

test_threshold_comes_from_config if {
	count(sast_clean.deny) == 0 with input as scan([finding("high")])
		with data.gatekeeper.config.sast.block_at as "critical"
}

test_no_evidence_without_a_sast_scan if {
	not sast_clean.applicable with input as {"scans": {"runs": [run(["secrets"])], "findings": []}}
	not sast_clean.applicable with input as {}
}
