package gatekeeper.controls.mod.extraction_throttled_test

import rego.v1

import data.gatekeeper.controls.mod.extraction_throttled as control

models := [{"name": "scorer", "version": "1", "hosting": "self-hosted"}]

limits := [{"endpoint": "POST /v1/score", "serves": ["scorer"], "scope": "api_key", "requests_per_minute": 60, "daily_quota": 20000}]

evidence(declared) := {"manifest": {"source": "ai-system.yaml", "declared": declared, "prompt_templates": []}}

test_pass_when_every_model_has_a_per_client_quota if {
	control.applicable with input as evidence({"models": models, "rate_limits": limits})
	count(control.deny) == 0 with input as evidence({"models": models, "rate_limits": limits})
	control.details.scorer == ["POST /v1/score"] with input as evidence({"models": models, "rate_limits": limits})
}

test_fail_for_a_global_limit_without_quota if {
	loose := [{"endpoint": "POST /v1/score", "serves": ["scorer"], "scope": "global", "requests_per_minute": 60}]
	denied := control.deny with input as evidence({"models": models, "rate_limits": loose})
	{entry.finding | some entry in denied} == {"endpoint:POST /v1/score:per-client", "endpoint:POST /v1/score:daily-quota"}
}

test_fail_for_a_model_behind_no_limit if {
	denied := control.deny with input as evidence({"models": models})
	{entry.finding | some entry in denied} == {"model:scorer:unthrottled"}
}

test_threshold_sets_the_daily_quota if {
	denied := control.deny with input as evidence({"models": models, "rate_limits": limits})
		with data.gatekeeper.config.ai_system.max_daily_queries as 1000
	{entry.finding | some entry in denied} == {"endpoint:POST /v1/score:daily-quota"}
}

test_no_evidence_without_a_manifest if {
	not control.applicable with input as {}
}
