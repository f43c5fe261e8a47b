# METADATA
# title: Agent tools are allow-listed, sandboxed, rate-bounded and approved when they act
# description: >-
#   The system manifest lists the tools an agent may call (a non-empty allow-list) and names
#   where calls outside it are refused (tools.enforced_by). Every tool runs in a sandbox from
#   ai_system.allowed_sandboxes without unrestricted network access and has a circuit breaker of
#   at most ai_system.max_tool_calls_per_minute calls per minute; every tool whose effect is in
#   ai_system.approval_effects (by default write, spend, execute, communicate) requires a human
#   approval per call with a named approver role; a tool that spends has per-call and per-day
#   amount limits. Declared, not measured: the control requires these specifics tool by tool,
#   which the gateway configuration and agent red-team results must bear out.
# custom:
#   severity: critical
#   questions: [APP-Q3]
#   waivable: true
#   applies_to: [agent]
#   remediation: >-
#     List every tool under tools.allowed with its effect, sandbox, network, circuit_breaker and,
#     for tools that write, spend, execute or communicate, requires_approval: true and an
#     approver_role; enforce the list in the agent gateway and name it in tools.enforced_by.
#   evidence: [manifest]
#   strength: declared
#   frameworks:
#     nist_ai_rmf: [MANAGE 1.3, MAP 3.5, GOVERN 3.2]
#     owasp_llm: [LLM06:2025, LLM10:2025]
#     atlas: [AML.T0053, AML.T0086, AML.M0026, AML.M0028, AML.M0029, AML.M0032]
#     saif: [RA, controlAgentPluginPermissions, controlAgentPluginUserControl]
package gatekeeper.controls.app.tools_least_privilege

import rego.v1

import data.gatekeeper.lib.manifest

tools := object.get(object.get(manifest.declared, "tools", {}), "allowed", [])

applicable if input.manifest

deny contains manifest.entry(msg, "tools:allow-list") if {
	count(tools) == 0
	msg := "no tool allow-list is declared (tools.allowed); disable this control for a system without agent tools"
}

deny contains manifest.entry(msg, "tools:enforcement") if {
	count(tools) > 0
	not manifest.declared.tools.enforced_by
	msg := "the allow-list names no enforcement point (tools.enforced_by)"
}

deny contains manifest.entry(msg, sprintf("tool:%s:approval", [tool.name])) if {
	some tool in tools
	tool.effect in manifest.config.approval_effects
	object.get(tool, "requires_approval", false) != true
	msg := sprintf("tool %s can %s without a human approval (requires_approval)", [tool.name, tool.effect])
}

deny contains manifest.entry(msg, sprintf("tool:%s:approver", [tool.name])) if {
	some tool in tools
	tool.requires_approval == true
	not tool.approver_role
	msg := sprintf("tool %s requires approval but names no approver_role", [tool.name])
}

deny contains manifest.entry(msg, sprintf("tool:%s:sandbox", [tool.name])) if {
	some tool in tools
	sandbox := object.get(tool, "sandbox", "none")
	not sandbox in manifest.config.allowed_sandboxes
	msg := sprintf("tool %s runs outside a sandbox (sandbox: %s; allowed: %v)", [
		tool.name, sandbox, manifest.config.allowed_sandboxes,
	])
}

deny contains manifest.entry(msg, sprintf("tool:%s:network", [tool.name])) if {
	some tool in tools
	object.get(tool, "network", "unrestricted") == "unrestricted"
	msg := sprintf("tool %s has unrestricted network access (network: none or allow-list)", [tool.name])
}

deny contains manifest.entry(msg, sprintf("tool:%s:circuit-breaker", [tool.name])) if {
	some tool in tools
	rate := object.get(tool, ["circuit_breaker", "max_calls_per_minute"], "none")
	not bounded(rate)
	msg := sprintf("tool %s has no circuit breaker of at most %d calls per minute (max_calls_per_minute: %v)", [
		tool.name, manifest.config.max_tool_calls_per_minute, rate,
	])
}

deny contains manifest.entry(msg, sprintf("tool:%s:spend-limit", [tool.name])) if {
	some tool in tools
	tool.effect == "spend"
	some limit in ["max_amount_per_call", "max_amount_per_day"]
	object.get(tool, ["circuit_breaker", limit], null) == null
	msg := sprintf("tool %s spends money without a %s limit", [tool.name, limit])
}

bounded(rate) if rate <= manifest.config.max_tool_calls_per_minute

details := {tool.name: {
	"effect": tool.effect,
	"requires_approval": object.get(tool, "requires_approval", false),
	"sandbox": object.get(tool, "sandbox", "none"),
} | some tool in tools}

deny contains problem if some problem in manifest.placeholder_problems(["tools"])
