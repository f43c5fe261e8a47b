package gatekeeper.controls.saf.evasion_trend_test

import rego.v1

import data.gatekeeper.controls.saf.evasion_trend as control

# Three prior runs; rates: class -> [rate per run], oldest first.
history(rates, bound) := {"history": {"window": 3, "named_classes": [], "runs": [run |
	some i in numbers.range(0, 2)
	run := {
		"run": sprintf("%d", [i + 1]), "time": sprintf("2026-0%d-01T00:00:00Z", [i + 1]),
		"attack_success": [{"class": c, "rate": r[i], "bound": bound} | some c, r in rates; count(r) > i],
		"detectors": [], "domains": [], "incidents": null,
	}
]}}

directions(doc) := {s.metric: s.direction | some s in trend} if {
	trend := control.details.trend with input as doc
}

test_pass_when_improving_or_held_below_the_limit if {
	doc := history({"jailbreak": [0.3, 0.2, 0.1], "prompt_injection": [0.04, 0.05, 0.01]}, false)
	count(control.deny) == 0 with input as doc
	count(control.warn) == 0 with input as doc
	directions(doc) == {"attack success (jailbreak)": "improving", "attack success (prompt_injection)": "held"}
	control.details.trend[0].points[2] == {"run": "3", "time": "2026-03-01T00:00:00Z", "value": 0.1} with input as doc
}

test_fail_when_regressing_or_flat_above_the_limit if {
	doc := history({"jailbreak": [0.01, 0.03, 0.2], "obfuscation": [0.3, 0.1, 0.3]}, false)
	{d.finding | some d in control.deny with input as doc} == {"trend:attack success (jailbreak)", "trend:attack success (obfuscation)"}
}

# Other classes are not evasion: their trend is another question.
test_only_the_evasion_classes_count if {
	doc := history({"jailbreak": [0.01, 0.01, 0.01], "excessive_agency": [0.0, 0.5, 0.9]}, false)
	count(control.deny) == 0 with input as doc
	directions(doc) == {"attack success (jailbreak)": "held"}
}

test_unmeasured_without_history_or_with_too_few_runs if {
	[w.finding | some w in control.warn with input as {}] == ["trend:unmeasured"]
	control.applicable with input as {}
	short := {"history": {"window": 3, "named_classes": [], "runs": [history({"jailbreak": [0.1]}, false).history.runs[0]]}}
	[w.finding | some w in control.warn with input as short] == ["trend:unmeasured"]
	count(control.deny) == 0 with input as short
}

# Dropping a class from the latest run does not hide its trend: the control is unmeasured.
test_a_class_missing_from_a_run_is_a_gap if {
	doc := history({"jailbreak": [0.01, 0.01, 0.01], "prompt_injection": [0.01, 0.5]}, false)
	{w.finding | some w in control.warn with input as doc} == {"trend:attack success (prompt_injection):unmeasured"}
}

test_strength_declared_unless_every_point_is_bound if {
	control.details.strength == "declared" with input as history({"jailbreak": [0.1, 0.1, 0.01]}, false)
	not control.details.strength with input as history({"jailbreak": [0.1, 0.1, 0.01]}, true)
}
