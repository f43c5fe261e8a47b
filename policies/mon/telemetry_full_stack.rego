# METADATA
# title: Telemetry captures inputs, prompts, outputs, tool calls and retrievals with known attributes
# description: >-
#   The system manifest's telemetry names its exporter and, for every kind of data in
#   ai_system.required_captures (by default inputs, prompts, outputs, tool calls and
#   retrievals), the attributes it records; a capture listed in ai_system.captures_by_kind
#   (prompts, tool calls, retrievals) is required only of a system of one of its kinds. Every OpenTelemetry GenAI name used (gen_ai.*) must be
#   a semantic-convention attribute listed in ai_system.genai_attributes, so dashboards and
#   detectors can rely on it; a deprecated name warns with its replacement, and a capture with no
#   retention period warns. Declared, not observed: the control checks the attribute names
#   against the conventions, not the spans the service emits.
# custom:
#   severity: medium
#   questions: [MON-Q1]
#   waivable: true
#   remediation: >-
#     Instrument the service with the OpenTelemetry GenAI semantic conventions (gen_ai.input.messages,
#     gen_ai.output.messages, gen_ai.tool.name, gen_ai.data_source.id, ...) and declare what each
#     kind of data records under telemetry.captures, with retention and redaction.
#   evidence: [manifest]
#   strength: declared
#   frameworks:
#     nist_ai_rmf: [MEASURE 2.4, MANAGE 4.1, GOVERN 4.3]
#     owasp_llm: [LLM01:2025, LLM06:2025]
#     atlas: [AML.M0024]
#     saif: [controlThreatDetection, controlIncidentResponseManagement]
package gatekeeper.controls.mon.telemetry_full_stack

import rego.v1

import data.gatekeeper.lib.kinds
import data.gatekeeper.lib.manifest

telemetry := object.get(manifest.declared, "telemetry", {})

captures := object.get(telemetry, "captures", {})

known := {name | some name in manifest.config.genai_attributes}

deprecated := {item.name: item.replaced_by | some item in manifest.config.genai_deprecated_attributes}

used := {[kind, attribute] | some kind, capture in captures; some attribute in capture.attributes}

applicable if input.manifest

deny contains manifest.entry(msg, "telemetry:exporter") if {
	not telemetry.exporter
	msg := "telemetry names no exporter (telemetry.exporter)"
}

required(capture) if not manifest.config.captures_by_kind[capture]

required(capture) if kinds.any_of(manifest.config.captures_by_kind[capture])

deny contains manifest.entry(msg, sprintf("telemetry:%s", [kind])) if {
	some kind in manifest.config.required_captures
	required(kind)
	count(object.get(captures, [kind, "attributes"], [])) == 0
	msg := sprintf("telemetry does not capture %s (telemetry.captures.%s.attributes)", [replace(kind, "_", " "), kind])
}

deny contains manifest.entry(msg, sprintf("telemetry:%s:%s", [kind, attribute])) if {
	some [kind, attribute] in used
	startswith(attribute, "gen_ai.")
	not attribute in known
	not deprecated[attribute]
	msg := sprintf("%s: %s is not an OpenTelemetry GenAI attribute (add it to ai_system.genai_attributes if it is newer)", [kind, attribute])
}

warn contains manifest.entry(msg, sprintf("telemetry:%s:%s", [kind, attribute])) if {
	some [kind, attribute] in used
	replacement := deprecated[attribute]
	msg := sprintf("%s: %s is deprecated in the OpenTelemetry GenAI conventions; use %s", [kind, attribute, replacement])
}

warn contains manifest.entry(msg, sprintf("telemetry:%s:retention", [kind])) if {
	some kind, capture in captures
	not capture.retention_days
	msg := sprintf("telemetry of %s has no retention period (retention_days)", [replace(kind, "_", " ")])
}

details := {kind: capture.attributes | some kind, capture in captures}

deny contains problem if some problem in manifest.placeholder_problems(["telemetry.exporter", "telemetry.captures"])
