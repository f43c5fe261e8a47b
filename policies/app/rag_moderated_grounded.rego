# METADATA
# title: Retrieved content is moderated and answers pass a grounding threshold
# description: >-
#   The system manifest declares retrieval moderation (declared guardrail filters applied to
#   retrieved chunks before they reach the prompt, and what happens to a flagged chunk) and a
#   grounding check (its method and a per-answer pass threshold of at least
#   ai_system.min_grounding_score, and what happens below it). An answer that fails grounding and
#   is only flagged still reaches the user: that is reported as a warning. Declared, not measured:
#   the groundedness SLO (APP-behaviour-slos-met) compares the measured groundedness.
# custom:
#   severity: high
#   questions: [APP-Q5]
#   waivable: true
#   applies_to: [rag]
#   remediation: >-
#     Run a moderation / injection filter over retrieved chunks and a cite-to-source grounding
#     check over answers, refuse or regenerate below the threshold, and declare both under
#     retrieval.moderation and retrieval.grounding.
#   evidence: [manifest]
#   strength: declared
#   frameworks:
#     nist_ai_rmf: [MEASURE 2.5, MANAGE 1.3]
#     owasp_llm: [LLM08:2025, LLM09:2025, LLM01:2025]
#     atlas: [AML.T0051.001, AML.T0070, AML.M0020]
#     saif: [PIJ, IMO, controlInputValidationAndSanitization, controlOutputValidationAndSanitization]
package gatekeeper.controls.app.rag_moderated_grounded

import rego.v1

import data.gatekeeper.lib.manifest

retrieval := object.get(manifest.declared, "retrieval", {})

applicable if input.manifest

deny contains manifest.entry(msg, "retrieval:moderation") if {
	not retrieval.moderation
	msg := "retrieved content is not moderated (retrieval.moderation); disable this control for a system without retrieval"
}

deny contains manifest.entry(msg, "retrieval:moderation") if {
	count(retrieval.moderation.filters) == 0
	msg := "retrieval moderation names no filter"
}

deny contains manifest.entry(msg, sprintf("retrieval:moderation:%s", [name])) if {
	some name in retrieval.moderation.filters
	not name in manifest.filter_names
	msg := sprintf("retrieval moderation uses filter %q, which is not a declared guardrail filter", [name])
}

deny contains manifest.entry(msg, "retrieval:grounding") if {
	not retrieval.grounding
	msg := "answers are not checked for grounding in the retrieved sources (retrieval.grounding)"
}

deny contains manifest.entry(msg, "retrieval:grounding:threshold") if {
	retrieval.grounding.min_score < manifest.config.min_grounding_score
	msg := sprintf("the grounding pass threshold %v is below %v", [
		retrieval.grounding.min_score, manifest.config.min_grounding_score,
	])
}

warn contains manifest.entry(msg, "retrieval:grounding:flag-only") if {
	retrieval.grounding.on_fail == "flag"
	msg := "answers below the grounding threshold are only flagged and still reach the user"
}

details := {"grounding": object.get(retrieval, "grounding", null)}

deny contains problem if some problem in manifest.placeholder_problems(["retrieval.ingestion"])
