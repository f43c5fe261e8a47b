package gatekeeper.controls.app.tools_least_privilege_test

import rego.v1

import data.gatekeeper.controls.app.tools_least_privilege as control

search := {
	"name": "search_kb", "effect": "read", "sandbox": "container", "network": "allow-list",
	"requires_approval": false, "circuit_breaker": {"max_calls_per_minute": 30},
}

refund := {
	"name": "refund", "effect": "spend", "sandbox": "gvisor", "network": "allow-list",
	"requires_approval": true, "approver_role": "support-lead",
	"circuit_breaker": {"max_calls_per_minute": 5, "max_amount_per_call": 50, "max_amount_per_day": 500},
}

evidence(tools) := {"manifest": {"source": "ai-system.yaml", "declared": {"tools": tools}, "prompt_templates": []}}

test_pass_for_sandboxed_bounded_and_approved_tools if {
	tools := {"enforced_by": "gateway", "allowed": [search, refund]}
	control.applicable with input as evidence(tools)
	count(control.deny) == 0 with input as evidence(tools)
	control.details.refund.requires_approval with input as evidence(tools)
}

test_fail_for_a_spending_tool_without_approval_or_limits if {
	buy := {"name": "buy_ads", "effect": "spend", "sandbox": "none", "network": "unrestricted"}
	denied := control.deny with input as evidence({"enforced_by": "gateway", "allowed": [search, buy]})
	{entry.finding | some entry in denied} == {
		"tool:buy_ads:approval", "tool:buy_ads:sandbox", "tool:buy_ads:network",
		"tool:buy_ads:circuit-breaker", "tool:buy_ads:spend-limit",
	}
}

test_fail_for_approval_without_an_approver_and_no_enforcement_point if {
	unnamed := object.remove(refund, ["approver_role"])
	denied := control.deny with input as evidence({"allowed": [unnamed]})
	{entry.finding | some entry in denied} == {"tools:enforcement", "tool:refund:approver"}
}

test_fail_without_an_allow_list if {
	denied := control.deny with input as evidence({"allowed": []})
	{entry.finding | some entry in denied} == {"tools:allow-list"}
}

test_thresholds_decide_effects_and_breaker_limits if {
	tools := {"enforced_by": "gateway", "allowed": [search, refund]}
	denied := control.deny with input as evidence(tools)
		with data.gatekeeper.config.ai_system.approval_effects as ["read", "spend"]
		with data.gatekeeper.config.ai_system.max_tool_calls_per_minute as 10
	{entry.finding | some entry in denied} == {"tool:search_kb:approval", "tool:search_kb:circuit-breaker"}
}

test_no_evidence_without_a_manifest if {
	not control.applicable with input as {}
}
