# METADATA
# title: AI incidents are detected and resolved within the MTTD and MTTR targets
# description: >-
#   Over the AI incidents of the release's incident records (evidence.incidents,
#   docs/incidents.md) detected within thresholds.incidents.max_age_days of the run, the mean
#   time to detect (occurred_at -> detected_at) is at most thresholds.incidents.max_mttd_minutes
#   and the mean time to resolve (detected_at -> resolved_at) at most max_mttr_minutes; no
#   incident is dated after the run. Without an incident in the window the times are not
#   measured (a warning, scored as no evidence).
# custom:
#   severity: medium
#   questions: [IRR-Q6]
#   waivable: true
#   remediation: >-
#     Record every AI incident (evidence.incidents) with when it occurred, was detected,
#     contained and resolved; when the means exceed the targets, add or tune the detectors that
#     should have caught it and rehearse the playbook that resolves it.
#   evidence: [incidents]
#   strength: declared
#   frameworks:
#     nist_ai_rmf: [MEASURE 1.2, MANAGE 4.3]
#     saif: [controlIncidentResponseManagement]
package gatekeeper.controls.irr.mttd_mttr_measured

import rego.v1

cfg := data.gatekeeper.config.incidents

incidents := object.get(input, "incidents", [])

now_ns := time.parse_rfc3339_ns(input.collected_at)

day_ns := ((24 * 60) * 60) * 1000000000

detected_ns(incident) := time.parse_rfc3339_ns(incident.detected_at)

# Detected within the window, and not after the run.
recent := [incident |
	some incident in incidents
	detected_ns(incident) <= now_ns
	now_ns - detected_ns(incident) <= cfg.max_age_days * day_ns
]

applicable if count(incidents) > 0

# The mean of the minutes, to one decimal.
mean(values) := round((sum(values) / count(values)) * 10) / 10

mttd := mean([i.minutes_to_detect | some i in recent]) if count(recent) > 0

mttr := mean([i.minutes_to_resolve | some i in recent]) if count(recent) > 0

deny contains {"msg": msg, "finding": "incidents:mttd"} if {
	mttd > cfg.max_mttd_minutes
	msg := sprintf("mean time to detect is %v minutes over %d incidents (limit %v)", [mttd, count(recent), cfg.max_mttd_minutes])
}

deny contains {"msg": msg, "finding": "incidents:mttr"} if {
	mttr > cfg.max_mttr_minutes
	msg := sprintf("mean time to resolve is %v minutes over %d incidents (limit %v)", [mttr, count(recent), cfg.max_mttr_minutes])
}

deny contains {"msg": msg, "finding": sprintf("incident:%s:future", [incident.id]), "file": incident.source, "line": incident.line} if {
	some incident in incidents
	detected_ns(incident) > now_ns
	msg := sprintf("incident %s is detected at %s, after the run", [incident.id, incident.detected_at])
}

warn contains {"msg": msg, "finding": "incidents:unmeasured"} if {
	count(incidents) > 0
	count(recent) == 0
	msg := sprintf("no incident was detected in the %d days before the run: MTTD and MTTR are not measured", [cfg.max_age_days])
}

details := {
	"incidents": count(recent),
	"mttd_minutes": mttd,
	"mttr_minutes": mttr,
	"max_mttd_minutes": cfg.max_mttd_minutes,
	"max_mttr_minutes": cfg.max_mttr_minutes,
} if count(recent) > 0
