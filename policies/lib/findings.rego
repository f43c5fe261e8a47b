# Helpers for controls that read normalized scanner findings (input.scans).
package gatekeeper.lib.findings

import rego.v1

severity_rank := {"info": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}

# The severities at or above a threshold, as a set the helpers below bind once: a rule read
# inside a loop over 50,000 findings is looked up by its path on every step, and regorus
# searches every rule loaded for each lookup (a third of a large run's evaluation).
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

# The findings of each category, grouped once per evaluation: every control then walks only
# its own category's findings, not all of them three times over (blocking, below, waived).
by_category := {category: [finding |
	some finding in all_findings
	finding.category == category
] |
	some category in {finding.category | some finding in all_findings}
}

all_findings := object.get(input, ["scans", "findings"], [])

# The findings of one category (none when no scan reported that category).
of_category(category) := object.get(by_category, category, [])

# The trusted suppressions of each category, by position in of_category(category): findings
# the tool suppressed (# nosec, checkov:skip, a SARIF suppression) whose tool the configuration
# trusts (trust_suppressions): waived, not failing. A suppression the configuration does not
# trust changes nothing: the finding counts. The helpers below look a position up here rather
# than call a function on every finding: over 50,000 findings, such calls were most of a scan
# control's time.
trusted_at := {category: {i |
	some i, finding in found
	finding.suppressed == true
	finding.suppression_trusted == true
} |
	some category, found in by_category
}

trusted_positions(category) := object.get(trusted_at, category, set())

# Findings of a category at or above a severity, but for trusted suppressions: the ones that
# block. Arrays, not sets: a set of 50,000 finding objects costs seconds to build and order.
blocking(category, threshold) := [finding |
	some i, finding in found
	finding.severity in severities
	not i in trusted
] if {
	severities := at_or_above(threshold)
	found := of_category(category)
	trusted := trusted_positions(category)
}

# Findings of a category below a severity, but for trusted suppressions: reported, never
# blocking.
below(category, threshold) := [finding |
	some i, finding in found
	not finding.severity in severities
	not i in trusted
] if {
	severities := at_or_above(threshold)
	found := of_category(category)
	trusted := trusted_positions(category)
}

# Trusted suppressions at or above a severity: they would block, and are waived instead (the
# control's "suppressed" rule; the control is "waived" when nothing else fails).
waived(category, threshold) := [finding |
	some i in trusted_positions(category)
	finding := found[i]
	finding.severity in severities
] if {
	severities := at_or_above(threshold)
	found := of_category(category)
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
