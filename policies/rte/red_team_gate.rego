# METADATA
# title: Red-team attack success rates are within their thresholds
# description: >-
#   For every attack class the release's red-team runs exercised (garak probes, promptfoo
#   plugins and strategies, grouped by gatekeeper's attack-class table), the share of
#   attempts that succeeded is at or below the class's threshold
#   (thresholds.red_team.max_attack_success_rate). A class with fewer evaluated attempts than
#   thresholds.red_team.min_attempts_per_class did not run: it fails the control, as does a
#   class of thresholds.red_team.required_classes that was not tried at all.
# custom:
#   severity: critical
#   questions: [RTE-Q2]
#   waivable: true
#   applies_to: [llm-app, rag, agent]
#   mandatory: true
#   remediation: >-
#     Fix the weakness the failing attack class exploits (guardrails, refusal training, input
#     and output filtering), rerun garak / promptfoo against the release candidate, and ship
#     only when every class is at or below its threshold. Tighten or relax a class's
#     threshold under thresholds.red_team.max_attack_success_rate, with review.
#   evidence: [garak, promptfoo]
#   strength: declared
#   frameworks:
#     nist_ai_rmf: [MEASURE 2.7, MANAGE 1.1]
#     owasp_llm: [LLM01:2025]
#     atlas: [AML.T0051, AML.T0054, AML.M0003, AML.M0020]
#     saif: [controlRedTeaming, controlAdversarialTrainingAndTesting, PIJ]
package gatekeeper.controls.rte.red_team_gate

import rego.v1

import data.gatekeeper.lib.evals

applicable if {
	some class_id in evals.class_ids
	evals.ran(class_id)
}

deny contains entry if {
	some class_id in evals.class_ids
	entry := evals.rate_breach(class_id)
}

# A class tried with too few evaluated attempts is no evidence, and never a pass.
deny contains {"msg": msg, "finding": sprintf("attack-class:%s:too-few-attempts", [class_id])} if {
	some class_id in evals.class_ids
	not evals.ran(class_id)
	msg := sprintf("attack class %s did not run: %d evaluated attempts (%d errored), fewer than %d", [
		class_id, evals.evaluated(class_id), evals.errored(class_id),
		evals.red_team.min_attempts_per_class,
	])
}

# Every class the policy requires (thresholds.red_team.required_classes) must have run. With no
# red-team run at all the control has no evidence (no_evidence, which fails a blocking control
# and which an exception can only accept as absence), not a failure.
deny contains {"msg": msg, "finding": sprintf("attack-class:%s:not-run", [class_id])} if {
	applicable
	some class_id in evals.red_team.required_classes
	not class_id in evals.class_ids
	msg := sprintf("attack class %s is required and was not tried", [class_id])
}

warn contains {"msg": msg, "file": run.source} if {
	some run in input.evals.runs
	not run.complete
	msg := sprintf("the %s run did not complete: probes after the last evaluation are missing", [run.tool])
}

status(class_id) := "not run" if not evals.ran(class_id)

else := "fail" if evals.rate(class_id) > evals.max_rate(class_id)

else := "pass"

details := {"attack_classes": [row |
	some class_id in sort(evals.class_ids)
	info := evals.info(class_id)
	row := {
		"class": class_id,
		"title": info.title,
		"tests": evals.tests(class_id),
		"evaluated": evals.evaluated(class_id),
		"succeeded": evals.succeeded(class_id),
		"errors": evals.errored(class_id),
		"rate": evals.rate_or_null(class_id),
		"threshold": evals.max_rate(class_id),
		"status": status(class_id),
		"owasp_llm": info.owasp_llm,
		"atlas": info.atlas,
	}
]} if count(evals.class_ids) > 0
