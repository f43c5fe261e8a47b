package gatekeeper.controls.sdl.secure_sdlc_codeowners_test

import rego.v1

import data.gatekeeper.controls.sdl.secure_sdlc_codeowners

headings := ["secure coding and code review", "branch protection", "security testing in ci", "dependencies and supply chain", "secrets", "training"]

guideline := {
	"path": "docs/SECURE_SDLC.md", "format": "markdown", "words": 700,
	"sections": [{"heading": h, "normalized": h, "level": 2, "words": 40} | some h in headings],
	"facts": {}, "atlas_techniques": [],
}

codeowners(rules) := {"path": ".github/CODEOWNERS", "rules": rules}

owned := codeowners([
	{"pattern": "*", "owners": ["@example/ml-platform"], "line": 2},
	{"pattern": "/policies/", "owners": ["@example/security"], "line": 3},
])

test_pass_with_guideline_and_default_owner if {
	both := {"documents": {"secure_sdlc": guideline}, "codeowners": owned}
	secure_sdlc_codeowners.applicable with input as both
	count(secure_sdlc_codeowners.deny) == 0 with input as both
}

test_fail_without_codeowners if {
	denied := secure_sdlc_codeowners.deny with input as {"documents": {"secure_sdlc": guideline}}
	{d.finding | some d in denied} == {"codeowners:missing"}
}

test_fail_without_guideline if {
	denied := secure_sdlc_codeowners.deny with input as {"codeowners": owned}
	{d.finding | some d in denied} == {"secure_sdlc:missing"}
}

test_fail_without_a_default_owner if {
	partial := {"documents": {"secure_sdlc": guideline}, "codeowners": codeowners([{"pattern": "/src/", "owners": ["@alice"], "line": 1}])}
	denied := secure_sdlc_codeowners.deny with input as partial
	{d.msg | some d in denied} == {"no rule for the pattern \"*\": those paths have no code owner"}
}

test_fail_when_a_later_rule_removes_the_owner if {
	removed := {"documents": {"secure_sdlc": guideline}, "codeowners": codeowners([
		{"pattern": "*", "owners": ["@alice"], "line": 1},
		{"pattern": "*", "owners": [], "line": 7},
	])}
	denied := secure_sdlc_codeowners.deny with input as removed
	[d.line | some d in denied] == [7]
}

test_fail_when_guideline_sections_are_missing if {
	thin := {"documents": {"secure_sdlc": object.union(guideline, {"sections": [{"heading": "Intro", "normalized": "intro", "level": 1, "words": 90}]})}, "codeowners": owned}
	expected := count(headings)
	count(secure_sdlc_codeowners.deny) == expected with input as thin
}

test_required_patterns_come_from_config if {
	both := {"documents": {"secure_sdlc": guideline}, "codeowners": owned}
	denied := secure_sdlc_codeowners.deny with input as both with data.gatekeeper.config.codeowners.required_patterns as ["*", "/models/"]
	{d.finding | some d in denied} == {"codeowners:unowned:/models/"}
}

test_no_evidence_without_either_file if {
	not secure_sdlc_codeowners.applicable with input as {"documents": {}}
	count(secure_sdlc_codeowners.deny) == 0 with input as {"documents": {}}
}
