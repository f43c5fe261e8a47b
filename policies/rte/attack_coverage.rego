# METADATA
# title: Red-team tests cover the OWASP LLM Top 10
# description: >-
#   The share of OWASP LLM Top 10 (2025) categories (thresholds.red_team.coverage.categories)
#   that a red-team attack class which ran (thresholds.red_team.min_attempts_per_class) exercised is at or above
#   thresholds.red_team.coverage.min_share. A model-file scan exercises LLM03 (supply chain).
#   The categories no test reached are listed.
# custom:
#   severity: high
#   questions: [RTE-Q4]
#   waivable: true
#   applies_to: [llm-app, rag, agent]
#   remediation: >-
#     Add tests for the uncovered categories: garak probe families and promptfoo plugins per
#     category are listed in gatekeeper/evidence/evals/attack_classes.yaml (for example promptfoo
#     excessive-agency for LLM06, prompt-extraction for LLM07, rag-poisoning for LLM08).
#   evidence: [garak, promptfoo, modelscan, picklescan, modelaudit]
#   strength: declared
#   frameworks:
#     nist_ai_rmf: [MEASURE 1.1, MEASURE 2.7]
#     owasp_llm: [LLM01:2025, LLM02:2025, LLM03:2025, LLM04:2025, LLM05:2025, LLM06:2025, LLM07:2025, LLM08:2025, LLM09:2025, LLM10:2025]
#     atlas: [AML.M0008]
#     saif: [controlRedTeaming]
package gatekeeper.controls.rte.attack_coverage

import rego.v1

import data.gatekeeper.lib.evals

cfg := data.gatekeeper.config.red_team.coverage

categories := {id | some id in cfg.categories}

# Categories exercised by a class that ran (enough evaluated attempts: a class tried once
# covers nothing).
tested := {owasp |
	some attack in evals.attacks
	some class in attack.classes
	evals.ran(class.id)
	some owasp in class.owasp_llm
}

scanned := {"LLM03:2025" | count(input.model_scans.runs) > 0}

covered := (tested | scanned) & categories

uncovered := categories - covered

share := count(covered) / count(categories) if count(categories) > 0

applicable if {
	some class_id in evals.class_ids
	evals.ran(class_id)
}

deny contains {"msg": msg, "finding": "owasp-llm-coverage"} if {
	share < cfg.min_share
	msg := sprintf("%d of %d OWASP LLM Top 10 categories tested (%s), below %s; not tested: %s", [
		count(covered), count(categories), evals.percent(share), evals.percent(cfg.min_share),
		concat(", ", sort(uncovered)),
	])
}

details := {
	"covered": sort(covered),
	"uncovered": sort(uncovered),
	"share": share,
	"min_share": cfg.min_share,
}
