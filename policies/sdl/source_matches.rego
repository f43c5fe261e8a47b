# METADATA
# title: The release was built from the expected source repository and ref
# description: >-
#   Every verified SLSA provenance names the source repository in trust.source.repository
#   and, when trust.source.refs is set, a ref matching one of its globs (refs/tags/*), so a
#   build of a fork, a branch or another project cannot pass as this release. Repository, ref
#   and commit are the signing certificate's, and the predicate must agree with each.
# custom:
#   severity: high
#   questions: [SDL-Q5]
#   waivable: true
#   remediation: >-
#     Build releases from the project's own repository at a release ref (a protected tag or
#     branch), and set trust.source.repository (and trust.source.refs) to what the provenance
#     must name.
#   evidence: [provenance]
#   strength: verified
#   frameworks:
#     nist_ai_rmf: [MAP 4.2]
#     owasp_llm: [LLM03:2025]
#     atlas: [AML.M0014, AML.T0010]
#     saif: [controlModelAndDataIntegrityManagement, MST]
package gatekeeper.controls.sdl.source_matches

import rego.v1

import data.gatekeeper.lib.attestations

expected := object.get(attestations.trust, "source", null)

refs := object.get(expected, "refs", []) if expected != null

applicable if count(attestations.slsa_provenance) > 0

deny contains "no expected source is configured: set trust.source.repository" if {
	applicable
	expected == null
}

deny contains {"msg": msg, "finding": attestations.label(statement), "file": statement.source} if {
	expected != null
	some statement in attestations.slsa_provenance
	repository := object.get(statement, "source_repository", null)
	repository != expected.repository
	msg := sprintf("%s was built from %v, not from %s", [
		attestations.label(statement), repository, expected.repository,
	])
}

deny contains {"msg": msg, "finding": attestations.label(statement), "file": statement.source} if {
	count(refs) > 0
	some statement in attestations.slsa_provenance
	ref := object.get(statement, "source_ref", null)
	not ref_allowed(ref)
	msg := sprintf("%s was built from ref %v, which matches none of trust.source.refs %v", [
		attestations.label(statement), ref, refs,
	])
}

deny contains {"msg": msg, "finding": attestations.label(statement), "file": statement.source} if {
	some statement in attestations.slsa_provenance
	some field in ["source_repository", "source_ref", "source_commit"]
	claim := attestations.disputed(statement, field)
	msg := attestations.dispute_msg(statement, field, claim)
}

ref_allowed(ref) if {
	is_string(ref)
	some pattern in refs
	glob.match(pattern, ["/"], ref)
}

details := {
	"expected": expected,
	"builds": [object.union(
		object.filter(statement, {"source", "source_repository", "source_ref", "source_commit"}),
		{"claims": attestations.claim_sources(statement)},
	) |
		some statement in attestations.slsa_provenance
	],
}
