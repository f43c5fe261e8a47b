package gatekeeper.lib.findings_test

import rego.v1

import data.gatekeeper.lib.findings

finding(category, severity, key) := {
	"tool": "t", "category": category, "rule_id": "R1", "severity": severity, "message": "m",
	"file": "a.py", "line": 1, "suppressed": false, "key": key, "source": "s.sarif",
}

trusted(f) := object.union(f, {"suppressed": true, "suppression_trusted": true})

untrusted(f) := object.union(f, {"suppressed": true, "suppression_trusted": false})

mixed := {"scans": {"runs": [], "findings": [
	finding("sast", "high", "s1"),
	finding("secrets", "critical", "x1"),
	finding("sast", "medium", "s2"),
	finding("sast", "low", "s3"),
	trusted(finding("sast", "critical", "s4")),
	untrusted(finding("sast", "critical", "s5")),
]}}

keys(list) := [f.key | some f in list]

test_findings_are_grouped_by_category_in_their_order if {
	keys(findings.of_category("sast")) == ["s1", "s2", "s3", "s4", "s5"] with input as mixed
	keys(findings.of_category("secrets")) == ["x1"] with input as mixed
}

test_a_category_no_scan_reported_has_no_findings if {
	findings.of_category("iac") == [] with input as mixed
	findings.of_category("sast") == [] with input as {"scans": {"runs": []}}
	findings.of_category("sast") == [] with input as {}
}

test_blocking_is_at_or_above_the_threshold_of_its_category_only if {
	keys(findings.blocking("sast", "medium")) == ["s1", "s2", "s5"] with input as mixed
	keys(findings.blocking("sast", "high")) == ["s1", "s5"] with input as mixed
	keys(findings.blocking("secrets", "critical")) == ["x1"] with input as mixed
}

test_the_severities_at_or_above_a_threshold_include_it if {
	findings.at_or_above("high") == {"high", "critical"}
	findings.at_or_above("critical") == {"critical"}
	findings.at_or_above("info") == {"info", "low", "medium", "high", "critical"}
}

test_an_unknown_threshold_blocks_nothing_and_reports_nothing_below if {
	not findings.at_or_above("severe")
	not findings.blocking("sast", "severe") with input as mixed
	not findings.below_count("sast", "severe") with input as mixed
	not findings.waived("sast", "severe") with input as mixed
}

test_below_is_strictly_below_the_threshold if {
	findings.below_count("sast", "medium") == 1 with input as mixed
	findings.below_count("sast", "high") == 2 with input as mixed
	findings.below_count("sast", "info") == 0 with input as mixed
}

test_only_trusted_suppressions_at_or_above_the_threshold_are_waived if {
	keys(findings.waived("sast", "critical")) == ["s4"] with input as mixed
	keys(findings.waived("sast", "medium")) == ["s4"] with input as mixed
	findings.waived("secrets", "low") == [] with input as mixed
}

test_a_trusted_suppression_below_the_threshold_is_neither_below_nor_waived if {
	low := {"scans": {"findings": [trusted(finding("sast", "low", "t1"))]}}
	findings.below_count("sast", "high") == 0 with input as low
	findings.waived("sast", "high") == [] with input as low
	findings.blocking("sast", "low") == [] with input as low
}

test_a_finding_without_suppression_fields_counts if {
	bare := {"tool": "t", "category": "sast", "rule_id": "R1", "severity": "high", "message": "m", "key": "b1", "source": "s"}
	only := {"scans": {"findings": [bare]}}
	keys(findings.blocking("sast", "high")) == ["b1"] with input as only
	findings.waived("sast", "high") == [] with input as only
}

test_only_boolean_true_makes_a_suppression_trusted if {
	texts := {"scans": {"findings": [
		object.union(finding("sast", "high", "q1"), {"suppressed": "true", "suppression_trusted": true}),
		object.union(finding("sast", "high", "q2"), {"suppressed": true, "suppression_trusted": 1}),
	]}}
	keys(findings.blocking("sast", "high")) == ["q1", "q2"] with input as texts
	findings.waived("sast", "high") == [] with input as texts
}

suppressed_at(i) := object.union(finding("sast", "high", sprintf("w%d", [i])), {"suppressed": true, "suppression_trusted": true}) if {
	i in {2, 10}
} else := finding("sast", "high", sprintf("n%d", [i]))

test_waived_findings_keep_their_order if {
	many := {"scans": {"findings": [suppressed_at(i) | some i in numbers.range(0, 10)]}}
	keys(findings.waived("sast", "high")) == ["w2", "w10"] with input as many
	count(findings.blocking("sast", "high")) == 9 with input as many
}

ruled := {"scans": {"runs": [], "findings": [
	object.union(finding("sast", "low", "r1"), {"rule_id": "B614"}),
	object.union(finding("secrets", "high", "r2"), {"rule_id": "B614"}),
	object.union(finding("sast", "high", "r3"), {"rule_id": "B301"}),
	object.union(finding("sast", "high", "r4"), {"rule_id": "B101"}),
	trusted(object.union(finding("sast", "low", "r5"), {"rule_id": "B614"})),
]}}

test_the_findings_of_some_rules_are_those_of_the_category_in_their_order if {
	keys(findings.of_rules("sast", ["B614", "B301"])) == ["r1", "r3", "r5"] with input as ruled
	keys(findings.of_rules("sast", ["B301", "B614", "B614"])) == ["r1", "r3", "r5"] with input as ruled
	keys(findings.of_rules("secrets", ["B614"])) == ["r2"] with input as ruled
	findings.of_rules("sast", ["B999"]) == [] with input as ruled
	findings.of_rules("sast", []) == [] with input as ruled
	findings.of_rules("iac", ["B614"]) == [] with input as ruled
}

test_the_index_given_in_the_input_is_the_one_read if {
	# the engine's input carries gatekeeper's index; the library builds one only when absent
	given := object.union(ruled, {"scans": {"index": {"categories": {}, "untrusted": {}, "trusted": {}, "rules": {"sast": {"B614": [3]}}}}})
	keys(findings.of_rules("sast", ["B614"])) == ["r4"] with input as given
}
