# METADATA
# title: Adversarial ML attacks beyond prompts are tested against the released model
# description: >-
#   The release's evaluations attacked the released model itself, not only its prompts: model
#   extraction, model inversion, training-data poisoning and membership inference results
#   (thresholds.adversarial_ml.required) are reported by a metrics file bound to the release's
#   model file (path and sha256), dataset and method, each within its bound
#   (thresholds.adversarial_ml.max), and the prompt-injection class of the red-team runs ran
#   (thresholds.adversarial_ml.required_classes). A missing result or class is no evidence.
# custom:
#   severity: high
#   questions: [RTE-Q3]
#   waivable: true
#   remediation: >-
#     Run extraction, inversion, poisoning and membership-inference attacks in CI against the
#     release candidate's model file (for example with the Adversarial Robustness Toolbox or
#     ML Privacy Meter), report them in a metrics file naming the model's path and sha256, the
#     dataset and the method (docs/metrics-format.md), and run prompt-injection probes.
#   evidence: [metrics, garak, promptfoo]
#   strength: declared
#   frameworks:
#     nist_ai_rmf: [MEASURE 2.7]
#     owasp_llm: [LLM04:2025]
#     atlas: [AML.T0024.000, AML.T0024.001, AML.T0024.002, AML.T0020, AML.M0003, AML.M0007]
#     saif: [controlAdversarialTrainingAndTesting, controlRedTeaming]
package gatekeeper.controls.rte.adversarial_ml_tested

import rego.v1

import data.gatekeeper.lib.evals

cfg := data.gatekeeper.config.adversarial_ml

applicable if {
	count(cfg.required) > 0
	count(evals.missing(cfg)) == 0
	every class_id in cfg.required_classes {
		evals.ran(class_id)
	}
}

deny contains entry if some entry in evals.out_of_bounds(cfg)

deny contains entry if some entry in evals.unbound_problems(cfg.required)

details := {
	"results": {name: [evals.describe_metric(m) | some m in evals.named(name)] | some name in cfg.required},
	"classes": {class_id: evals.evaluated(class_id) | some class_id in cfg.required_classes},
}
