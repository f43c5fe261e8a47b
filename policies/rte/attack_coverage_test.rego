package gatekeeper.controls.rte.attack_coverage_test

import rego.v1

import data.gatekeeper.controls.rte.attack_coverage

attack(owasp, evaluated) := {
	"tool": "promptfoo", "source": "promptfoo.json", "line": null, "test": "x", "variant": null,
	"classes": [{"id": concat("+", owasp), "title": "c", "owasp_llm": owasp, "atlas": []}],
	"evaluated": evaluated, "succeeded": 0, "errors": 0,
}

evals(attacks) := {"evals": {"runs": [], "attacks": attacks, "metrics": []}}

seven := evals([
	attack(["LLM01:2025"], 10), attack(["LLM02:2025"], 10), attack(["LLM05:2025"], 10),
	attack(["LLM06:2025"], 10), attack(["LLM07:2025"], 10), attack(["LLM09:2025"], 12),
	attack(["LLM10:2025"], 10),
])

test_pass_at_the_threshold if {
	attack_coverage.applicable with input as seven
	count(attack_coverage.deny) == 0 with input as seven
	uncovered := attack_coverage.details.uncovered with input as seven
	uncovered == ["LLM03:2025", "LLM04:2025", "LLM08:2025"]
}

test_a_model_scan_covers_llm03 if {
	scanned := object.union(seven, {"model_scans": {"runs": [{"tool": "modelscan"}], "files": [], "issues": [], "errors": []}})
	covered := attack_coverage.details.covered with input as scanned
	"LLM03:2025" in covered
}

test_fail_lists_the_uncovered_categories if {
	two := evals([attack(["LLM01:2025"], 10), attack(["LLM02:2025"], 10), attack(["LLM06:2025"], 0)])
	denied := attack_coverage.deny with input as two
	some entry in denied
	entry.msg == "2 of 10 OWASP LLM Top 10 categories tested (20.0%), below 70.0%; not tested: LLM03:2025, LLM04:2025, LLM05:2025, LLM06:2025, LLM07:2025, LLM08:2025, LLM09:2025, LLM10:2025"
}

# A class tried fewer times than red_team.min_attempts_per_class covers nothing: eight
# one-attempt results reach no category.
test_a_class_with_too_few_attempts_covers_nothing if {
	one_each := evals([attack([sprintf("LLM0%d:2025", [i])], 1) | some i in numbers.range(1, 8)])
	not attack_coverage.applicable with input as one_each
	nine := evals([attack(["LLM01:2025"], 10), attack(["LLM02:2025"], 9)])
	attack_coverage.details.covered == ["LLM01:2025"] with input as nine
}

test_no_evidence_without_evaluated_tests if {
	not attack_coverage.applicable with input as evals([])
	not attack_coverage.applicable with input as evals([attack(["LLM01:2025"], 0)])
}

test_categories_and_share_come_from_config if {
	count(attack_coverage.deny) == 0 with input as evals([attack(["LLM01:2025"], 10)])
		with data.gatekeeper.config.red_team.coverage as {"min_share": 1.0, "categories": ["LLM01:2025"]}
}
