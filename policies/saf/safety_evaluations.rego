# METADATA
# title: Safety evaluations meet the release criteria
# description: >-
#   Toxicity, bias / fairness and groundedness were evaluated for the release (the metrics
#   in thresholds.safety.required) and every reported safety metric is within its bound
#   (thresholds.safety.min / max), per group or slice where one is given.
# custom:
#   severity: high
#   questions: [SAF-Q2]
#   waivable: true
#   applies_to: [llm-app, rag, agent]
#   remediation: >-
#     Run the safety evaluation suite (toxicity rate on adversarial and benign prompts,
#     fairness gaps per demographic group, groundedness against the retrieved sources) and
#     report it in the metrics file; mitigate and re-evaluate the metrics out of bounds.
#   evidence: [metrics, sbom]
#   strength: declared
#   frameworks:
#     nist_ai_rmf: [MEASURE 2.6, MEASURE 2.11]
#     owasp_llm: [LLM09:2025]
#     atlas: [AML.T0048, AML.M0022]
#     saif: [controlProductGovernance]
package gatekeeper.controls.saf.safety_evaluations

import rego.v1

import data.gatekeeper.lib.evals

cfg := data.gatekeeper.config.safety

applicable if {
	count(cfg.required) > 0
	count(evals.missing(cfg)) == 0
}

deny contains entry if some entry in evals.out_of_bounds(cfg)
