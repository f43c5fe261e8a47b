# Helpers for controls over AI evaluations: red-team results per attack class
# (input.evals.attacks) and measured metrics (input.evals.metrics).
package gatekeeper.lib.evals

import rego.v1

attacks := object.get(input, ["evals", "attacks"], [])

metrics := object.get(input, ["evals", "metrics"], [])

class_ids := {class.id | some attack in attacks; some class in attack.classes}

# Every evaluation result that tried an attack of this class.
results(class_id) := object.get(results_by_class, class_id, [])

# The results of each class, gathered once: the per-class helpers below are called a dozen
# times per class by every control, and a function's result is not kept between calls.
results_by_class := {class_id: [attack |
	some attack in attacks
	some class in attack.classes
	class.id == class_id
] |
	some class_id in class_ids
}

# Each class's attempts, successes and errors, summed once.
totals := {class_id: {
	"evaluated": sum([r.evaluated | some r in found]),
	"succeeded": sum([r.succeeded | some r in found]),
	"errors": sum([r.errors | some r in found]),
} |
	some class_id, found in results_by_class
}

info(class_id) := {"title": class.title, "owasp_llm": class.owasp_llm, "atlas": class.atlas} if {
	some attack in attacks
	some class in attack.classes
	class.id == class_id
}

evaluated(class_id) := object.get(totals, [class_id, "evaluated"], 0)

succeeded(class_id) := object.get(totals, [class_id, "succeeded"], 0)

errored(class_id) := object.get(totals, [class_id, "errors"], 0)

rate(class_id) := succeeded(class_id) / evaluated(class_id) if evaluated(class_id) > 0

# "garak dan.Dan_11_0", "promptfoo harmful:hate": what ran for the class.
tests(class_id) := sort({sprintf("%s %s", [r.tool, r.test]) | some r in results(class_id)})

rate_or_null(class_id) := rate(class_id) if evaluated(class_id) > 0

else := null

red_team := data.gatekeeper.config.red_team

# True when the class was tried often enough to count (red_team.min_attempts_per_class).
ran(class_id) if evaluated(class_id) >= red_team.min_attempts_per_class

max_rate(class_id) := red_team.max_attack_success_rate[class_id]

# "5.8%": one decimal, built by hand because regorus prints integral floats without one.
percent(value) := sprintf("%d.%d%%", [floor(tenths / 10), tenths % 10]) if tenths := round(value * 1000)

# "attack success rate 5.8% (7 of 120 attempts)"
describe_rate(class_id) := sprintf("attack success rate %s (%d of %d attempts)", [
	percent(rate(class_id)), succeeded(class_id), evaluated(class_id),
])

# A deny entry when a class that ran succeeded more often than its threshold allows.
rate_breach(class_id) := {
	"msg": sprintf("attack class %s: %s is above the threshold %s", [
		class_id, describe_rate(class_id), percent(max_rate(class_id)),
	]),
	"finding": sprintf("attack-class:%s", [class_id]),
} if {
	ran(class_id)
	rate(class_id) > max_rate(class_id)
}

# Metrics of one name, from metrics files and model cards.
named(name) := [metric | some metric in metrics; metric.name == name]

# "groundedness 0.72" or "demographic_parity_difference[age>60] 0.14"
describe_metric(metric) := sprintf("%s[%s] %v", [metric.name, metric.slice, metric.value]) if {
	is_string(metric.slice)
}

else := sprintf("%s %v", [metric.name, metric.value])

slice_of(metric) := metric.slice if is_string(metric.slice)

else := ""

metric_entry(metric, text) := {
	"msg": text,
	"finding": sprintf("metric:%s:%s", [metric.name, slice_of(metric)]),
	"file": metric.source,
	"line": object.get(metric, "line", null),
}

# The required metrics of a metric control's settings that nothing reported.
missing(settings) := {name | some name in settings.required; count(named(name)) == 0}

# Deny entries for every reported metric outside the settings' min / max bounds.
out_of_bounds(settings) := below | above if {
	below := {metric_entry(metric, sprintf("%s is below the minimum %v", [describe_metric(metric), limit])) |
		some name, limit in settings.min
		some metric in named(name)
		metric.value < limit
	}
	above := {metric_entry(metric, sprintf("%s is above the maximum %v", [describe_metric(metric), limit])) |
		some name, limit in settings.max
		some metric in named(name)
		metric.value > limit
	}
}

# The sha256 of every artifact the release ships (input.artifacts).
release_digests := {artifact.sha256 | some artifact in object.get(input, "artifacts", [])}

# A metric measured on the release's own model: its metrics file names the model file by path
# and sha256 (verified by the collector) and a dataset and method for every metric, and that
# sha256 is one of the release's artifacts. Anything else is a declared number.
bound(metric) if {
	metric.bound == true
	metric.model_sha256 in release_digests
}

# Why a metric is not bound: the collector's reasons for its file, or the digest not released.
unbound_reason(metric) := concat("; ", metric_set.unbound_reasons) if {
	some metric_set in object.get(input, ["evals", "metric_sets"], [])
	metric_set.source == metric.source
	count(metric_set.unbound_reasons) > 0
} else := sprintf("the model file it names (sha256 %s) is not one of the release's artifacts", [
	metric.model_sha256,
]) if {
	metric.bound == true
} else := "it comes from a model card or lm-evaluation-harness results, which name no model file"

# Deny entries for every reported value of these metrics that is not bound to the release.
unbound_problems(names) := {metric_entry(metric, msg) |
	some name in names
	some metric in named(name)
	not bound(metric)
	msg := sprintf("%s is not bound to the release's model: %s", [describe_metric(metric), unbound_reason(metric)])
}
