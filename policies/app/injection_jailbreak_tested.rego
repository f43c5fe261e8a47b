# METADATA
# title: Prompt-injection and jailbreak tests ran and pass
# description: >-
#   The release's red-team runs include evaluated prompt-injection and jailbreak attempts
#   (thresholds.red_team.required_classes), and each of those classes succeeds no more often
#   than its threshold. A run whose attempts all errored, or that never tried a class, is no
#   evidence.
# custom:
#   severity: critical
#   questions: [APP-Q6]
#   waivable: true
#   applies_to: [llm-app, rag, agent]
#   remediation: >-
#     Run prompt-injection and jailbreak probes in CI against the release candidate (garak
#     promptinject, latentinjection, dan, tap; promptfoo with the prompt-injection and
#     jailbreak strategies) and fix what gets through before release.
#   evidence: [garak, promptfoo]
#   strength: declared
#   frameworks:
#     nist_ai_rmf: [MEASURE 2.7]
#     owasp_llm: [LLM01:2025]
#     atlas: [AML.T0051, AML.T0054, AML.M0015, AML.M0020]
#     saif: [controlInputValidationAndSanitization, controlAdversarialTrainingAndTesting, PIJ]
package gatekeeper.controls.app.injection_jailbreak_tested

import rego.v1

import data.gatekeeper.lib.evals

required := data.gatekeeper.config.red_team.required_classes

applicable if {
	count(required) > 0
	every class_id in required {
		evals.ran(class_id)
	}
}

deny contains entry if {
	some class_id in required
	entry := evals.rate_breach(class_id)
}

details := {"required_classes": [row |
	some class_id in required
	row := {
		"class": class_id,
		"evaluated": evals.evaluated(class_id),
		"succeeded": evals.succeeded(class_id),
		"errors": evals.errored(class_id),
		"rate": evals.rate_or_null(class_id),
		"threshold": evals.max_rate(class_id),
	}
]}
