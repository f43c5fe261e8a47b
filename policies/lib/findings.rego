# Helpers for controls that read normalized scanner findings (input.scans).
package gatekeeper.lib.findings

import rego.v1

severity_rank := {"info": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}

# The severities at or above a threshold, as a set the helpers below bind once: a rule read
# inside a loop over 50,000 findings is looked up by its path on every step, which costs as
# much as the step (a third of a large run's evaluation).
at_or_above(threshold) := {severity |
	some severity, rank in severity_rank
	rank >= minimum
} if {
	minimum := severity_rank[threshold]
}

# True when a scan of this category (sast, secrets, iac, container, sca) ran at all.
scanned(category) if {
	some run in input.scans.runs
	category in run.categories
}

all_findings := object.get(input, ["scans", "findings"], [])

# Where each finding is in all_findings, by category: input.scans.index, which gatekeeper
# writes beside the findings as it builds the engine's input (its module,
# gatekeeper/evidence/scans/findings_index.py, says what it holds). Rego has no grouping: a walk
# reads a field of every finding, once per category and again per helper, and over 50,000
# findings such walks were most of a run's evaluation. An input without an index (a policy's
# own tests) has it built here, from the findings, with the same result.
index := given if {
	given := input.scans.index
} else := built_index

built_index := {
	"categories": {category: [i | some i, finding in all_findings; finding.category == category] |
		some category in categories
	},
	"untrusted": {category: by_severity |
		some category in categories
		by_severity := {severity: [i |
			some i, finding in all_findings
			finding.category == category
			not trusted_suppression(finding)
			severity_key(finding) == severity
		] |
			some severity in untrusted_severities(category)
		}
		count(by_severity) > 0
	},
	"trusted": {category: positions |
		some category in categories
		positions := [i |
			some i, finding in all_findings
			finding.category == category
			trusted_suppression(finding)
		]
		count(positions) > 0
	},
	"rules": {category: by_rule |
		some category in categories
		by_rule := {rule_id: [i |
			some i, finding in all_findings
			finding.category == category
			finding.rule_id == rule_id
		] |
			some rule_id in rule_ids(category)
		}
		count(by_rule) > 0
	},
}

categories := {finding.category | some finding in all_findings; is_string(finding.category)}

untrusted_severities(category) := {severity_key(finding) |
	some finding in all_findings
	finding.category == category
	not trusted_suppression(finding)
}

rule_ids(category) := {finding.rule_id |
	some finding in all_findings
	finding.category == category
	is_string(finding.rule_id)
}

# A finding whose severity is not a string is indexed under "": never blocking.
severity_key(finding) := finding.severity if is_string(finding.severity)
else := ""

# The tool suppressed it (# nosec, checkov:skip, a SARIF suppression) and the configuration
# trusts the tool's suppressions (trust_suppressions): waived, not failing. A suppression the
# configuration does not trust changes nothing: the finding counts.
trusted_suppression(finding) if {
	finding.suppressed == true
	finding.suppression_trusted == true
}

# The findings of one category, in their order (none when no scan reported that category).
# all_findings is bound before the walk: a rule read inside a loop is looked up by its path
# on every step.
of_category(category) := [found[i] | some i in positions] if {
	found := all_findings
	positions := object.get(index.categories, category, [])
}

# The findings of a category whose rule is one of ``wanted`` (rule ids), in their order.
of_rules(category, wanted) := [found[i] | some i in positions] if {
	found := all_findings
	by_rule := object.get(index.rules, category, {})
	positions := sort({i | some rule_id in wanted; some i in object.get(by_rule, rule_id, [])})
}

# Findings of a category at or above a severity, but for trusted suppressions: the ones that
# block, in their order. Arrays, not sets: a set of 50,000 finding objects costs seconds to
# build and order.
blocking(category, threshold) := [found[i] | some i in positions] if {
	severities := at_or_above(threshold)
	found := all_findings
	by_severity := object.get(index.untrusted, category, {})
	positions := sort([i | some severity in severities; some i in object.get(by_severity, severity, [])])
}

# How many findings of a category are below a severity, but for trusted suppressions: reported,
# never blocking. Counted from the index: the findings themselves are never walked.
below_count(category, threshold) := sum([count(positions) |
	some severity, positions in object.get(index.untrusted, category, {})
	not severity in severities
]) if {
	severities := at_or_above(threshold)
}

# Trusted suppressions at or above a severity: they would block, and are waived instead (the
# control's "suppressed" rule; the control is "waived" when nothing else fails).
waived(category, threshold) := [finding |
	some i in object.get(index.trusted, category, [])
	finding := found[i]
	finding.severity in severities
] if {
	severities := at_or_above(threshold)
	found := all_findings
}

# "B602 [high] subprocess call with shell=True" (file and line travel apart, in entry()).
describe(finding) := sprintf("%s [%s] %s%s", [
	finding.rule_id, finding.severity, finding.message, untrusted_note(finding),
])

untrusted_note(finding) := " (suppressed by the tool; not trusted: see trust_suppressions)" if {
	finding.suppressed == true
	not finding.suppression_trusted == true
} else := ""

# A deny entry for one finding: the message, plus the finding key, file and line for reports.
entry(finding) := {
	"msg": describe(finding),
	"finding": finding.key,
	"file": object.get(finding, "file", null),
	"line": object.get(finding, "line", null),
}

# A "suppressed" entry for one trusted suppression: as entry(), plus who waived it.
suppressed_entry(finding) := object.union(entry(finding), {
	"waived_by": sprintf("in-source suppression (%s)", [finding.tool]),
	"justification": object.get(finding, "suppression", null),
})

# Runs of a category that skipped something they should have checked (pip-audit dependencies
# it could not audit, files a scanner could not parse): such a run is never a clean result.
inconclusive(category) := [run |
	some run in input.scans.runs
	category in run.categories
	run.inconclusive == true
]

# "pip-audit (evidence/pip-audit.json) is inconclusive: 2 not checked (numpy, safetensors),
# e.g. numpy: Dependency not found on PyPI and could not be audited: numpy (2.1.3)"
inconclusive_entry(run) := {
	"msg": sprintf("%s (%s) is inconclusive: %d not checked (%s), e.g. %s: %s", [
		run.tool, run.source, count(run.skipped),
		concat(", ", array.slice([s.name | some s in run.skipped], 0, 10)),
		run.skipped[0].name, run.skipped[0].reason,
	]),
	"finding": sprintf("%s:inconclusive", [run.source]),
	"file": run.source,
	"line": null,
}
