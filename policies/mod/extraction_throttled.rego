# METADATA
# title: Every model is served behind per-client throttling with a daily quota
# description: >-
#   Query-based model extraction needs many queries: every model in the system manifest is
#   served by at least one declared endpoint (rate_limits[].serves) that counts per client
#   (a scope in ai_system.rate_limit_scopes) and caps each client's daily queries at
#   ai_system.max_daily_queries or fewer. Declared limits, not measured: the API gateway's
#   configuration is what enforces them, and an extraction detector (MON-ai-threat-detectors)
#   catches what quotas let through.
# custom:
#   severity: high
#   questions: [MOD-Q6]
#   waivable: true
#   remediation: >-
#     Put every model endpoint behind per-key rate limits with a daily quota at the gateway, and
#     declare them under rate_limits with serves naming the models behind each endpoint.
#   evidence: [manifest]
#   strength: declared
#   frameworks:
#     nist_ai_rmf: [MANAGE 2.2, MEASURE 2.7]
#     owasp_llm: [LLM10:2025, LLM02:2025]
#     atlas: [AML.T0024.002, AML.T0034, AML.T0029, AML.M0004]
#     saif: [MRE, DMS, controlApplicationAccessManagement]
package gatekeeper.controls.mod.extraction_throttled

import rego.v1

import data.gatekeeper.lib.manifest

limits := object.get(manifest.declared, "rate_limits", [])

applicable if input.manifest

deny contains manifest.entry(msg, "models:none") if {
	count(manifest.models) == 0
	msg := "the manifest declares no model, so no throttling can be checked"
}

deny contains manifest.entry(msg, sprintf("model:%s:unthrottled", [model.name])) if {
	some model in manifest.models
	count(endpoints(model.name)) == 0
	msg := sprintf("model %s is served by no rate-limited endpoint (rate_limits[].serves)", [model.name])
}

deny contains manifest.entry(msg, sprintf("endpoint:%s:per-client", [limit.endpoint])) if {
	some model in manifest.models
	some limit in endpoints(model.name)
	not limit.scope in manifest.config.rate_limit_scopes
	msg := sprintf("%s (serving %s) is throttled %s, not per client", [limit.endpoint, model.name, limit.scope])
}

deny contains manifest.entry(msg, sprintf("endpoint:%s:daily-quota", [limit.endpoint])) if {
	some model in manifest.models
	some limit in endpoints(model.name)
	quota := object.get(limit, "daily_quota", "none")
	not quota_bounded(quota)
	msg := sprintf("%s (serving %s) has no daily quota of at most %d queries per client (daily_quota: %v)", [
		limit.endpoint, model.name, manifest.config.max_daily_queries, quota,
	])
}

endpoints(name) := [limit | some limit in limits; name in object.get(limit, "serves", [])]

quota_bounded(quota) if quota <= manifest.config.max_daily_queries

details := {model.name: [limit.endpoint | some limit in endpoints(model.name)] | some model in manifest.models}
