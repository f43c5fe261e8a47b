# METADATA
# title: Detector precision and recall held at their minimums or improved over the prior runs
# description: >-
#   From the results history (docs/history.md#trend-questions): each detector's precision and
#   recall (as MON-detector-precision-recall reads them) in each of the last window prior runs
#   of this system either stayed at or above thresholds.detectors.min or improved from the
#   first run to the last. A regressing series, or one that stays below its minimum, fails.
#   The trend is measured evidence only when every point came from a metrics file bound to its
#   release. Without a history, or with fewer runs than the window, the trend is not measured
#   (a warning, scored as no evidence).
# custom:
#   severity: medium
#   questions: [MON-Q5]
#   waivable: true
#   remediation: >-
#     Measure every detector on the same labelled holdout set at each release (a metrics file
#     naming the release's model), keep every run in the results history, and retune a
#     detector whose false positives or misses grow.
#   evidence: [metrics]
#   strength: measured
#   frameworks:
#     nist_ai_rmf: [MEASURE 1.2, MEASURE 2.13]
#     atlas: [AML.M0015]
#     saif: [controlThreatDetection]
package gatekeeper.controls.mon.detector_trend

import rego.v1

import data.gatekeeper.lib.trends

cfg := data.gatekeeper.config.detectors

applicable := true

label(detector, metric) := sprintf("%s (%s)", [metric, detector])

measures := {[row.detector, row.metric] | some run in trends.runs; some row in run.detectors}

points(detector, metric) := [{"run": run.run, "time": run.time, "value": row.value, "bound": row.bound} |
	some run in trends.runs
	some row in run.detectors
	[row.detector, row.metric] == [detector, metric]
]

all_series := [trends.series(label(d, m), points(d, m), cfg.min[m], "higher") |
	some [d, m] in sort(measures)
	cfg.min[m]
	trends.complete(points(d, m))
]

seen := {label(d, m) | some [d, m] in measures; cfg.min[m]}

deny contains entry if some entry in trends.problems(all_series)

warn contains entry if some entry in trends.unmeasured(all_series, "detector precision and recall")

warn contains entry if some entry in trends.gaps(seen, all_series)

details := trends.details(all_series)
