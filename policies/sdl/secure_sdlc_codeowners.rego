# METADATA
# title: A secure AI SDLC guideline and a CODEOWNERS file govern changes
# description: >-
#   The secure development guideline (evidence.documents.secure_sdlc, Markdown) holds every
#   section of thresholds.documents.secure_sdlc.required_sections -- by default secure coding
#   and code review, branch protection, security testing in CI, dependencies and supply chain,
#   secrets, and training -- and the repository's CODEOWNERS file (evidence.codeowners) names
#   an owner for each pattern of thresholds.codeowners.required_patterns (by default "*": every
#   path has a code owner whose review branch protection can require).
# custom:
#   severity: medium
#   questions: [SDL-Q1]
#   waivable: true
#   remediation: >-
#     Write the team's secure AI development guideline (docs/documents.md lists the sections)
#     and train developers on it; add a CODEOWNERS file whose "*" rule names the owning team,
#     require code-owner review on the protected release branches, and list both files under
#     evidence.documents.secure_sdlc and evidence.codeowners.
#   evidence: [documents.secure_sdlc, codeowners]
#   strength: documented
#   frameworks:
#     nist_ai_rmf: [GOVERN 1.2, GOVERN 2.2]
#     atlas: [AML.M0018]
#     saif: [controlInternalPoliciesAndEducation, controlSecureByDefaultMLTooling, MST]
package gatekeeper.controls.sdl.secure_sdlc_codeowners

import rego.v1

import data.gatekeeper.lib.documents

required_patterns := data.gatekeeper.config.codeowners.required_patterns

applicable if input.documents.secure_sdlc

applicable if input.codeowners

deny contains {"msg": msg, "finding": "secure_sdlc:missing"} if {
	input.codeowners
	not input.documents.secure_sdlc
	msg := "no secure SDLC guideline is listed under evidence.documents.secure_sdlc"
}

deny contains {"msg": msg, "finding": "codeowners:missing"} if {
	input.documents.secure_sdlc
	not input.codeowners
	msg := "no CODEOWNERS file is listed under evidence.codeowners"
}

deny contains problem if some problem in documents.section_problems("secure_sdlc", "required_sections")

# GitHub and GitLab apply the last matching rule: the last rule of a pattern decides its owners.
last_rule(pattern) := rules[count(rules) - 1] if {
	rules := [rule | some rule in input.codeowners.rules; rule.pattern == pattern]
	count(rules) > 0
}

deny contains {"msg": msg, "finding": sprintf("codeowners:unowned:%s", [pattern]), "file": input.codeowners.path} if {
	input.codeowners
	some pattern in required_patterns
	not last_rule(pattern)
	msg := sprintf("no rule for the pattern %q: those paths have no code owner", [pattern])
}

deny contains {"msg": msg, "finding": sprintf("codeowners:unowned:%s", [pattern]), "file": input.codeowners.path, "line": rule.line} if {
	some pattern in required_patterns
	rule := last_rule(pattern)
	count(rule.owners) == 0
	msg := sprintf("the last rule for the pattern %q names no owner", [pattern])
}
