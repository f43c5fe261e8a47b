package gatekeeper.controls.app.rate_limits_per_endpoint_test

import rego.v1

import data.gatekeeper.controls.app.rate_limits_per_endpoint as control

limits := [
	{"endpoint": "POST /v1/score", "scope": "api_key", "requests_per_minute": 120, "max_request_bytes": 8192, "timeout_seconds": 2},
	{"endpoint": "POST /v1/chat", "scope": "user", "requests_per_minute": 20, "max_request_bytes": 32768, "timeout_seconds": 30},
]

evidence(declared) := {"manifest": {"source": "ai-system.yaml", "declared": declared, "prompt_templates": []}}

test_pass_when_every_endpoint_is_limited_per_client if {
	control.applicable with input as evidence({"rate_limits": limits})
	count(control.deny) == 0 with input as evidence({"rate_limits": limits})
	control.details["POST /v1/chat"] == 20 with input as evidence({"rate_limits": limits})
}

test_fail_for_a_global_unbounded_endpoint if {
	loose := [{"endpoint": "POST /v1/chat", "scope": "global", "requests_per_minute": 5000}]
	denied := control.deny with input as evidence({"rate_limits": loose})
	{entry.finding | some entry in denied} == {
		"endpoint:POST /v1/chat:scope", "endpoint:POST /v1/chat:rate",
		"endpoint:POST /v1/chat:request-size", "endpoint:POST /v1/chat:timeout",
	}
}

test_fail_without_rate_limits if {
	denied := control.deny with input as evidence({})
	{entry.finding | some entry in denied} == {"rate-limits:none"}
}

test_threshold_sets_the_highest_rate if {
	denied := control.deny with input as evidence({"rate_limits": limits})
		with data.gatekeeper.config.ai_system.max_requests_per_minute as 60
	{entry.finding | some entry in denied} == {"endpoint:POST /v1/score:rate"}
}

test_no_evidence_without_a_manifest if {
	not control.applicable with input as {}
}
