# METADATA
# title: Robustness tested with thresholds
# description: >-
#   The model's robustness under attack was measured before release (the metrics in
#   thresholds.robustness.required, such as robust_accuracy) and every reported robustness
#   metric is within its bound (thresholds.robustness.min / max: accuracy under adversarial
#   inputs, model-extraction fidelity, model-inversion success).
# custom:
#   severity: high
#   questions: [MOD-Q4]
#   waivable: true
#   remediation: >-
#     Evaluate the model under adversarial inputs (for example with the Adversarial Robustness
#     Toolbox or TextAttack) and, where relevant, extraction and inversion attacks; report the
#     results in the metrics file and harden the model (adversarial training, input
#     restoration, output obfuscation) until they meet the thresholds.
#   evidence: [metrics, sbom]
#   strength: declared
#   frameworks:
#     nist_ai_rmf: [MEASURE 2.5, MEASURE 2.7]
#     owasp_llm: []
#     atlas: [AML.T0015, AML.T0043, AML.T0024.001, AML.T0024.002, AML.M0003]
#     saif: [controlAdversarialTrainingAndTesting, MEV, MRE]
package gatekeeper.controls.mod.robustness_tested

import rego.v1

import data.gatekeeper.lib.evals

cfg := data.gatekeeper.config.robustness

applicable if {
	count(cfg.required) > 0
	count(evals.missing(cfg)) == 0
}

deny contains entry if some entry in evals.out_of_bounds(cfg)
