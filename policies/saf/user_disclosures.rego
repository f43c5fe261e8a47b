# METADATA
# title: Users are told they deal with AI, how generated content is marked, and how to report harm
# description: >-
#   The system manifest declares every user-facing disclosure in ai_system.required_disclosures:
#   by default the notice that users interact with AI (EU AI Act Art. 50(1)) with where it is
#   shown, how generated content is marked (a label with its text, C2PA, a watermark or
#   metadata; Art. 50(2)), a safety notice on limitations, and the channel for reporting a harmful
#   output. Declared texts, not observed in the product: the control requires the actual wording
#   and placement rather than a yes/no.
# custom:
#   severity: medium
#   questions: []
#   waivable: true
#   applies_to: [llm-app, rag, agent]
#   remediation: >-
#     Write the disclosures under disclosures in ai-system.yaml (ai_interaction text and where it
#     is shown, generated_content method, safety text, feedback_channel) and show them in the
#     product.
#   evidence: [manifest]
#   strength: declared
#   frameworks:
#     nist_ai_rmf: [MAP 2.2, MEASURE 2.8, MEASURE 3.3, GOVERN 5.1]
#     owasp_llm: [LLM09:2025]
#     saif: [controlUserTransparencyAndControls, controlUserPoliciesAndEducation]
package gatekeeper.controls.saf.user_disclosures

import rego.v1

import data.gatekeeper.lib.manifest

disclosures := object.get(manifest.declared, "disclosures", {})

applicable if input.manifest

deny contains manifest.entry(msg, sprintf("disclosure:%s", [kind])) if {
	some kind in manifest.config.required_disclosures
	not disclosures[kind]
	msg := sprintf("no %s disclosure is declared (disclosures.%s)", [replace(kind, "_", " "), kind])
}

deny contains manifest.entry(msg, "disclosure:generated_content:text") if {
	disclosures.generated_content.method == "label"
	not disclosures.generated_content.text
	msg := "generated content is labeled, but the label text is not declared"
}

details := {kind: true | some kind, _ in disclosures}

deny contains problem if some problem in manifest.placeholder_problems(["disclosures"])
