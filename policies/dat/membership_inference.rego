# METADATA
# title: Membership-inference risk tested and within limits
# description: >-
#   A membership-inference attack was run against the model before release, and the
#   attacker's advantage (mia_advantage, TPR - FPR) and AUC (mia_auc) are at or below
#   thresholds.privacy.max_mia_advantage and max_mia_auc.
# custom:
#   severity: high
#   questions: [DAT-Q5]
#   waivable: true
#   remediation: >-
#     Run a membership-inference attack (for example ML Privacy Meter or the Adversarial
#     Robustness Toolbox) on held-out and training records and report mia_advantage or mia_auc;
#     reduce memorization (regularization, DP training, deduplication) when the risk is too high.
#   evidence: [metrics, sbom]
#   strength: declared
#   frameworks:
#     nist_ai_rmf: [MEASURE 2.10]
#     owasp_llm: [LLM02:2025]
#     atlas: [AML.T0024.000]
#     saif: [controlPrivacyEnhancingTechnologies, SDD, ISD]
package gatekeeper.controls.dat.membership_inference

import rego.v1

import data.gatekeeper.lib.evals

cfg := data.gatekeeper.config.privacy

limits := {"mia_advantage": cfg.max_mia_advantage, "mia_auc": cfg.max_mia_auc}

applicable if {
	some name, _ in limits
	count(evals.named(name)) > 0
}

deny contains entry if some entry in evals.out_of_bounds({"min": {}, "max": limits})
