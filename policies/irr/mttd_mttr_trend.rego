# METADATA
# title: MTTD and MTTR held within their targets or improved over the prior runs
# description: >-
#   From the results history (docs/history.md#trend-questions): the mean time to detect and
#   to resolve AI incidents (IRR-mttd-mttr-measured, from the incident records) in each of
#   the last window prior runs of this system either stayed within
#   thresholds.incidents.max_mttd_minutes and max_mttr_minutes or improved from the first run
#   to the last. A regressing series, or one that stays beyond its target, fails. Without a
#   history, with fewer runs than the window, or with a run that measured no MTTD and MTTR,
#   the trend is not measured (a warning, scored as no evidence).
# custom:
#   severity: medium
#   questions: [IRR-Q6]
#   waivable: true
#   remediation: >-
#     Keep the incident records in the repository (evidence.incidents) and every run in the
#     results history; when detection or resolution slows down, review the detectors and the
#     playbooks of the incidents that took longest.
#   evidence: [incidents]
#   strength: declared
#   frameworks:
#     nist_ai_rmf: [MEASURE 1.2, MANAGE 4.3]
#     saif: [controlIncidentResponseManagement]
package gatekeeper.controls.irr.mttd_mttr_trend

import rego.v1

import data.gatekeeper.lib.trends

cfg := data.gatekeeper.config.incidents

applicable := true

measures := {"MTTD minutes": ["mttd_minutes", cfg.max_mttd_minutes], "MTTR minutes": ["mttr_minutes", cfg.max_mttr_minutes]}

points(field) := [{"run": run.run, "time": run.time, "value": run.incidents[field], "bound": run.incidents.bound} |
	some run in trends.runs
	run.incidents != null
]

all_series := [trends.series(name, points(field), limit, "lower") |
	some name in sort(object.keys(measures))
	[field, limit] := measures[name]
	trends.complete(points(field))
]

seen := {name | some name, [field, _] in measures; count(points(field)) > 0}

deny contains entry if some entry in trends.problems(all_series)

warn contains entry if some entry in trends.unmeasured(all_series, "MTTD and MTTR")

warn contains entry if some entry in trends.gaps(seen, all_series)

details := trends.details(all_series)
