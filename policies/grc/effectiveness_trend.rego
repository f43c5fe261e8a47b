# METADATA
# title: Control effectiveness per domain held or improved over the prior runs
# description: >-
#   From the results history (docs/history.md#trend-questions): in each domain, the share of
#   the controls that saw evidence which passed, in each of the last window prior runs of this
#   system, either stayed at or above thresholds.trends.min_domain_pass_rate or improved from
#   the first run to the last. A regressing domain, or one that stays below the minimum, fails.
#   Without a history, or with fewer runs than the window, the trend is not measured (a
#   warning, scored as no evidence).
# custom:
#   severity: low
#   questions: [GRC-Q5]
#   waivable: true
#   remediation: >-
#     Keep every gate run in the results history and review the domains whose pass rate falls:
#     record the corrective action (a fix, an exception with an owner and expiry) and follow
#     the next runs.
#   evidence: []
#   strength: measured
#   frameworks:
#     nist_ai_rmf: [GOVERN 1.5, MEASURE 1.2, MANAGE 4.2]
#     saif: [controlRiskGovernance]
package gatekeeper.controls.grc.effectiveness_trend

import rego.v1

import data.gatekeeper.lib.trends

applicable := true

min_domain_pass_rate := data.gatekeeper.config.trends.min_domain_pass_rate

label(domain) := sprintf("%s pass rate", [domain])

domains := {row.domain | some run in trends.runs; some row in run.domains}

points(domain) := [{"run": run.run, "time": run.time, "value": row.pass_rate, "bound": true} |
	some run in trends.runs
	some row in run.domains
	row.domain == domain
]

all_series := [trends.series(label(d), points(d), min_domain_pass_rate, "higher") |
	some d in sort(domains)
	trends.complete(points(d))
]

seen := {label(d) | some d in domains}

deny contains entry if some entry in trends.problems(all_series)

warn contains entry if some entry in trends.unmeasured(all_series, "control pass rates per domain")

warn contains entry if some entry in trends.gaps(seen, all_series)

details := trends.details(all_series)
