# METADATA
# title: Prompt templates and input/output filters are defined, with documented blocked examples
# description: >-
#   The system manifest declares input filters -- one of them screening for prompt injection or
#   jailbreaks -- and output filters, prompt templates that name the variables carrying untrusted
#   text (each template file is read at collection: it must exist, and its digest is recorded),
#   and at least ai_system.min_blocked_examples documented blocked examples, each naming a
#   declared filter, with every input filter documented by at least one. The filters themselves
#   are declared, not exercised here: prompt-injection test results in the evaluation evidence
#   are what show they work.
# custom:
#   severity: high
#   questions: [APP-Q1]
#   waivable: true
#   applies_to: [llm-app, rag, agent]
#   remediation: >-
#     Declare guardrails in ai-system.yaml: input_filters (including a prompt-injection filter),
#     output_filters, prompt_templates (path and untrusted_inputs; keep untrusted text inside
#     delimiters in the template) and blocked_examples for every input filter.
#   evidence: [manifest]
#   strength: declared
#   frameworks:
#     nist_ai_rmf: [MANAGE 1.3, MEASURE 2.7]
#     owasp_llm: [LLM01:2025, LLM05:2025, LLM07:2025]
#     atlas: [AML.T0051, AML.T0054, AML.M0020, AML.M0021]
#     saif: [PIJ, IMO, controlInputValidationAndSanitization, controlOutputValidationAndSanitization]
package gatekeeper.controls.app.prompt_guardrails_defined

import rego.v1

import data.gatekeeper.lib.manifest

guardrails := object.get(manifest.declared, "guardrails", {})

input_filters := object.get(guardrails, "input_filters", [])

examples := object.get(guardrails, "blocked_examples", [])

injection_kinds := {"prompt_injection", "jailbreak"}

applicable if input.manifest

deny contains manifest.entry(msg, sprintf("guardrails:%s", [section])) if {
	some section in ["input_filters", "output_filters", "prompt_templates"]
	count(object.get(guardrails, section, [])) == 0
	msg := sprintf("no %s are declared (guardrails.%s)", [replace(section, "_", " "), section])
}

deny contains manifest.entry(msg, "guardrails:prompt-injection-filter") if {
	count(input_filters) > 0
	count([f | some f in input_filters; f.kind in injection_kinds]) == 0
	msg := "no input filter screens for prompt injection or jailbreaks"
}

deny contains manifest.entry(msg, sprintf("template:%s:untrusted-inputs", [template.id])) if {
	some template in object.get(guardrails, "prompt_templates", [])
	count(object.get(template, "untrusted_inputs", [])) == 0
	msg := sprintf("prompt template %s does not name the variables that carry untrusted text (untrusted_inputs)", [template.id])
}

deny contains manifest.entry(msg, "guardrails:blocked-examples") if {
	count(examples) < manifest.config.min_blocked_examples
	msg := sprintf("%d blocked examples are documented; at least %d are required", [
		count(examples), manifest.config.min_blocked_examples,
	])
}

deny contains manifest.entry(msg, sprintf("example:%d:filter", [index])) if {
	some index, example in examples
	not example.filter in manifest.filter_names
	msg := sprintf("blocked example %d names filter %q, which is not declared", [index, example.filter])
}

deny contains manifest.entry(msg, sprintf("filter:%s:examples", [f.name])) if {
	some f in input_filters
	count([e | some e in examples; e.filter == f.name]) == 0
	msg := sprintf("input filter %s has no documented blocked example", [f.name])
}

details := {
	"templates": [{"id": t.id, "path": t.path, "sha256": t.sha256} | some t in input.manifest.prompt_templates],
	"blocked_examples": count(examples),
}

deny contains problem if some problem in manifest.placeholder_problems(["guardrails.input_filters", "guardrails.output_filters"])
