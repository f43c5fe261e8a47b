# METADATA
# title: The red-team suite tries the attack classes that incidents and the threat model name
# description: >-
#   From the results history (docs/history.md#trend-questions): every attack class named by
#   an incident record (from the incident's detection on) or by an ATLAS technique the threat
#   model cites (in every run) was tried by the red-team suite of each of the last window
#   prior runs of this system that followed it, except the classes of
#   thresholds.trends.suite_exempt_classes, which other controls test. The trend is the share of the named classes
#   each run tried. Without a history, with fewer runs than the window, or when no incident or
#   threat-model technique names a class, it is not measured (a warning, scored as no
#   evidence).
# custom:
#   severity: medium
#   questions: [RTE-Q6]
#   waivable: true
#   remediation: >-
#     After an incident, and when the threat model cites a new ATLAS technique, add probes or
#     plugins of its attack class to the red-team suite (garak, promptfoo) and keep them in
#     every following release.
#   evidence: [incidents, documents, garak, promptfoo]
#   strength: declared
#   frameworks:
#     nist_ai_rmf: [MEASURE 3.1, MANAGE 4.2]
#     saif: [controlRedTeaming]
package gatekeeper.controls.rte.suite_adapted

import rego.v1

import data.gatekeeper.lib.trends

applicable := true

named := object.get(input, ["history", "named_classes"], [])

after(run, naming) if naming.since == null

after(run, naming) if {
	is_string(naming.since)
	time.parse_rfc3339_ns(run.time) > time.parse_rfc3339_ns(naming.since)
}

suite_exempt_classes := data.gatekeeper.config.trends.suite_exempt_classes

exempt := {c | some c in suite_exempt_classes}

expected(run) := {naming.class | some naming in named; after(run, naming)} - exempt

tried(run) := {row.class | some row in run.attack_success}

points := [{"run": run.run, "time": run.time, "value": round((count(expected(run) & tried(run)) / count(expected(run))) * 1000) / 1000, "bound": every_bound(run)} |
	some run in trends.runs
	count(expected(run)) > 0
]

every_bound(run) := true if {
	every row in run.attack_success {
		row.bound == true
	}
} else := false

metric := "named attack classes tried"

all_series := [trends.series(metric, points, 1, "higher") | count(points) > 0; trends.full]

deny contains {"msg": msg, "finding": sprintf("suite:%s:%s", [class_id, run.run])} if {
	trends.full
	some run in trends.runs
	some class_id in expected(run) - tried(run)
	by := concat(", ", sort({n.named_by | some n in named; n.class == class_id; after(run, n)}))
	msg := sprintf("attack class %s, named by %s, is missing from the red-team suite of run %s (%s)", [class_id, by, run.run, run.time])
}

warn contains entry if some entry in trends.unmeasured(all_series, "the attack classes incidents and the threat model name")

details := trends.details(all_series)
