package gatekeeper.controls.mon.telemetry_full_stack_test

import rego.v1

import data.gatekeeper.controls.mon.telemetry_full_stack as control

captures := {
	"inputs": {"attributes": ["gen_ai.conversation.id", "app.request.id"], "retention_days": 30},
	"prompts": {"attributes": ["gen_ai.input.messages", "gen_ai.request.model"], "retention_days": 30},
	"outputs": {"attributes": ["gen_ai.output.messages", "gen_ai.usage.output_tokens"], "retention_days": 30},
	"tool_calls": {"attributes": ["gen_ai.tool.name", "gen_ai.tool.call.id"], "retention_days": 90},
	"retrievals": {"attributes": ["gen_ai.data_source.id"], "retention_days": 30},
}

evidence(telemetry) := {"manifest": {"source": "ai-system.yaml", "declared": {"telemetry": telemetry}, "prompt_templates": []}}

test_pass_when_every_kind_is_captured_with_known_names if {
	telemetry := {"exporter": "otlp", "captures": captures}
	control.applicable with input as evidence(telemetry)
	count(control.deny) == 0 with input as evidence(telemetry)
	count(control.warn) == 0 with input as evidence(telemetry)
}

test_fail_for_missing_kinds_and_unknown_names if {
	partial := {"prompts": {"attributes": ["gen_ai.prompt", "gen_ai.request.modle"]}}
	denied := control.deny with input as evidence({"captures": partial})
	{entry.finding | some entry in denied} == {
		"telemetry:exporter", "telemetry:inputs", "telemetry:outputs", "telemetry:tool_calls",
		"telemetry:retrievals", "telemetry:prompts:gen_ai.request.modle",
	}
	warned := control.warn with input as evidence({"captures": partial})
	{entry.finding | some entry in warned} == {"telemetry:prompts:gen_ai.prompt", "telemetry:prompts:retention"}
}

test_thresholds_extend_the_known_names if {
	newer := object.union(captures, {"outputs": {"attributes": ["gen_ai.output.safety"], "retention_days": 30}})
	count(control.deny) == 1 with input as evidence({"exporter": "otlp", "captures": newer})
	count(control.deny) == 0 with input as evidence({"exporter": "otlp", "captures": newer})
		with data.gatekeeper.config.ai_system.genai_attributes as ["gen_ai.output.safety", "gen_ai.conversation.id", "gen_ai.input.messages", "gen_ai.request.model", "gen_ai.usage.output_tokens", "gen_ai.tool.name", "gen_ai.tool.call.id", "gen_ai.data_source.id"]
}

test_no_evidence_without_a_manifest if {
	not control.applicable with input as {}
}

gated(telemetry, kinds) := object.union(evidence(telemetry), {"gate": {"kinds": kinds}})

test_a_classical_ml_system_need_not_capture_prompts_tool_calls_or_retrievals if {
	classical := {"exporter": "otlp", "captures": object.filter(captures, ["inputs", "outputs"])}
	count(control.deny) == 0 with input as gated(classical, ["classical-ml"])
	denied := control.deny with input as gated({"exporter": "otlp"}, ["classical-ml"])
	{entry.finding | some entry in denied} == {"telemetry:inputs", "telemetry:outputs"}
}

test_each_kind_requires_its_own_captures if {
	classical := {"exporter": "otlp", "captures": object.filter(captures, ["inputs", "outputs"])}
	llm := control.deny with input as gated(classical, ["llm-app"])
	{entry.finding | some entry in llm} == {"telemetry:prompts"}
	rag := control.deny with input as gated(classical, ["classical-ml", "rag"])
	{entry.finding | some entry in rag} == {"telemetry:prompts", "telemetry:retrievals"}
	agent := control.deny with input as gated(classical, ["agent"])
	{entry.finding | some entry in agent} == {"telemetry:prompts", "telemetry:tool_calls"}
}
