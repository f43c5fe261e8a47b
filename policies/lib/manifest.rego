# Helpers for controls over the system manifest (input.manifest, from ai-system.yaml).
package gatekeeper.lib.manifest

import rego.v1

# The manifest as the team wrote it, and the file it came from.
declared := input.manifest.declared

source := input.manifest.source

# Thresholds of the manifest controls (gatekeeper/defaults.yaml, ai_system).
config := data.gatekeeper.config.ai_system

# A deny/warn entry about the manifest: the message, a finding id exceptions can target, the file.
entry(msg, finding) := {"msg": msg, "finding": finding, "file": source}

# Deny entries for the free-text facts under any of these keys (prefixes of a field without its
# indexes: "models.storage", "rollback") that the collector found to hold a placeholder or filler.
placeholder_problems(prefixes) := {problem |
	some found in object.get(input.manifest, "placeholders", [])
	some prefix in prefixes
	startswith(found.key, prefix)
	problem := {
		"msg": sprintf("%s: %s; declare what is really in place", [found.field, found.reason]),
		"finding": sprintf("placeholder:%s", [found.field]),
		"file": source,
		"line": found.line,
	}
}

# Ids that escalation routes, alerts and monitors may name.
contact_ids := {contact.id | some contact in object.get(declared, "incident_contacts", [])}

# Names of every declared guardrail filter (input and output).
filter_names := {f.name |
	some kind in ["input_filters", "output_filters"]
	some f in object.get(object.get(declared, "guardrails", {}), kind, [])
}

models := object.get(declared, "models", [])

slos := object.get(declared, "slos", [])

# True when a declared route names an incident contact.
routed(item) if item.alert_route in contact_ids

# An objective ({"min": x} or {"max": x}) as text: "at least 0.8", "at most 0.02".
objective_text(objective) := sprintf("at least %v", [objective.min]) if is_number(objective.min)

objective_text(objective) := sprintf("at most %v", [objective.max]) if is_number(objective.max)

# A measured value meets an objective.
meets(objective, value) if value >= objective.min

meets(objective, value) if value <= objective.max

# A declared objective is at least as strict as the weakest allowed (a threshold entry with
# min or max): a min no lower, a max no higher, in the same direction.
as_strict(objective, weakest) if objective.min >= weakest.min

as_strict(objective, weakest) if objective.max <= weakest.max

# Measured values of a metric in the evaluation evidence (input.evals.metrics), every slice.
measured(metric) := [m | some m in object.get(object.get(input, "evals", {}), "metrics", []); m.name == metric]

# The SLOs the thresholds require (a list of {metric, min|max}) that the manifest lacks.
missing_slos(required) := {r.metric | some r in required; not declares_slo(r.metric)}

declares_slo(metric) if {
	some slo in slos
	slo.metric == metric
}

# Deny entries for an SLO: weaker than the threshold's entry for its metric, or breached by a
# measured value of the same metric.
slo_problems(slo, required) := weak | breached if {
	weak := {entry(msg, sprintf("slo:%s:weak", [slo.metric])) |
		some weakest in required
		weakest.metric == slo.metric
		not as_strict(slo.objective, weakest)
		msg := sprintf("SLO %s (%s) is weaker than the required %s", [
			slo.metric, objective_text(slo.objective), objective_text(weakest),
		])
	}
	breached := {entry(msg, sprintf("slo:%s:breached", [slo.metric])) |
		some m in measured(slo.metric)
		not meets(slo.objective, m.value)
		msg := sprintf("SLO %s (%s) is not met: measured %v%s in %s", [
			slo.metric, objective_text(slo.objective), m.value, slice_text(m), m.source,
		])
	}
}

slice_text(m) := sprintf(" (slice %s)", [m.slice]) if is_string(m.slice)

# object.get, not `not is_string(m.slice)`: OPA hoists a reference out of a negated call.
slice_text(m) := "" if not is_string(object.get(m, "slice", null))
