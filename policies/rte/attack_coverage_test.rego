package gatekeeper.controls.rte.attack_coverage_test

import rego.v1

import data.gatekeeper.controls.rte.attack_coverage

attack(owasp, evaluated) := {
	"tool": "promptfoo", "source": "promptfoo.json", "line": null, "test": "x", "variant": null,
	"classes": [{"id": "c", "title": "c", "owasp_llm": owasp, "atlas": []}],
	"evaluated": evaluated, "succeeded": 0, "errors": 0,
}

evals(attacks) := {"evals": {"runs": [], "attacks": attacks, "metrics": []}}

seven := evals([
	attack(["LLM01:2025"], 10), attack(["LLM02:2025"], 3), attack(["LLM05:2025"], 3),
	attack(["LLM06:2025"], 3), attack(["LLM07:2025"], 3), attack(["LLM09:2025"], 3),
	attack(["LLM10:2025"], 3),
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
	two := evals([attack(["LLM01:2025"], 10), attack(["LLM02:2025"], 1), attack(["LLM06:2025"], 0)])
	denied := attack_coverage.deny with input as two
	some entry in denied
	entry.msg == "2 of 10 OWASP LLM Top 10 categories tested (20.0%), below 70.0%; not tested: LLM03:2025, LLM04:2025, LLM05:2025, LLM06:2025, LLM07:2025, LLM08:2025, LLM09:2025, LLM10:2025"
}

test_no_evidence_without_evaluated_tests if {
	not attack_coverage.applicable with input as evals([])
	not attack_coverage.applicable with input as evals([attack(["LLM01:2025"], 0)])
}

test_categories_and_share_come_from_config if {
	count(attack_coverage.deny) == 0 with input as evals([attack(["LLM01:2025"], 1)])
		with data.gatekeeper.config.red_team.coverage as {"min_share": 1.0, "categories": ["LLM01:2025"]}
}
