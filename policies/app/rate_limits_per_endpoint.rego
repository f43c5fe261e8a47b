# METADATA
# title: Every endpoint has a per-client rate limit, a request size limit and a timeout
# description: >-
#   The system manifest declares rate limits for its endpoints, and every one counts per client
#   (a scope in ai_system.rate_limit_scopes, not one global bucket a single client can drain),
#   allows at most ai_system.max_requests_per_minute requests per minute, caps the request body at
#   ai_system.max_request_bytes and sets a timeout. Declared limits, not measured: the control
#   requires numbers within the thresholds, which a load test or the gateway configuration confirms.
# custom:
#   severity: high
#   questions: [APP-Q2]
#   waivable: true
#   remediation: >-
#     Configure per-key (or per-user, per-tenant) rate limits, request size limits and timeouts at
#     the API gateway for every LLM and model endpoint, and declare them under rate_limits.
#   evidence: [manifest]
#   strength: declared
#   frameworks:
#     nist_ai_rmf: [MANAGE 2.2, MEASURE 2.7]
#     owasp_llm: [LLM10:2025]
#     atlas: [AML.T0029, AML.T0034, AML.M0004]
#     saif: [DMS, controlApplicationAccessManagement]
package gatekeeper.controls.app.rate_limits_per_endpoint

import rego.v1

import data.gatekeeper.lib.manifest

limits := object.get(manifest.declared, "rate_limits", [])

applicable if input.manifest

deny contains manifest.entry(msg, "rate-limits:none") if {
	count(limits) == 0
	msg := "no endpoint declares a rate limit (rate_limits)"
}

deny contains manifest.entry(msg, sprintf("endpoint:%s:scope", [limit.endpoint])) if {
	some limit in limits
	not limit.scope in manifest.config.rate_limit_scopes
	msg := sprintf("%s is limited %s, not per client (one of %v)", [
		limit.endpoint, limit.scope, manifest.config.rate_limit_scopes,
	])
}

deny contains manifest.entry(msg, sprintf("endpoint:%s:rate", [limit.endpoint])) if {
	some limit in limits
	limit.requests_per_minute > manifest.config.max_requests_per_minute
	msg := sprintf("%s allows %d requests per minute, more than %d", [
		limit.endpoint, limit.requests_per_minute, manifest.config.max_requests_per_minute,
	])
}

deny contains manifest.entry(msg, sprintf("endpoint:%s:request-size", [limit.endpoint])) if {
	some limit in limits
	size := object.get(limit, "max_request_bytes", "no limit")
	not size_bounded(size)
	msg := sprintf("%s request bodies are not capped at %d bytes (max_request_bytes: %v)", [
		limit.endpoint, manifest.config.max_request_bytes, size,
	])
}

deny contains manifest.entry(msg, sprintf("endpoint:%s:timeout", [limit.endpoint])) if {
	some limit in limits
	not limit.timeout_seconds
	msg := sprintf("%s has no request timeout (timeout_seconds)", [limit.endpoint])
}

size_bounded(size) if size <= manifest.config.max_request_bytes

details := {limit.endpoint: limit.requests_per_minute | some limit in limits}
