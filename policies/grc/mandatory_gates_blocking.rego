# METADATA
# title: Mandatory control families are loaded and blocking
# description: >-
#   Policy-as-code enforces the mandatory controls: for every family in
#   governance.mandatory_controls (by default signing, provenance, SBOM / ML-BOM and evaluation
#   gates, each a list of control-id globs), at least one loaded control matches, and every
#   matching control is blocking in this run's profile (not advisory, not disabled). The
#   profile is read from the gate section the evaluator adds (input.gate), so the control judges
#   the enforcement actually in force, not a declaration. A control that does not apply to the
#   system's kinds (input.gate.not_applicable) is not required: a family all of whose controls
#   do not apply is not missing.
# custom:
#   severity: high
#   questions: [GRC-Q6]
#   waivable: false
#   mandatory: true
#   remediation: >-
#     Keep the signing, provenance, SBOM and evaluation controls blocking in gatekeeper.yaml's
#     profile (remove them from advisory and disabled), or, if your controls have other ids,
#     list them under thresholds.governance.mandatory_controls.
#   evidence: []
#   strength: declared
#   frameworks:
#     nist_ai_rmf: [GOVERN 1.4, MANAGE 1.3]
#     owasp_llm: [LLM03:2025]
#     atlas: [AML.M0013, AML.M0014]
#     saif: [SAIF-E3, SAIF-E4, controlRiskGovernance]
package gatekeeper.controls.grc.mandatory_gates_blocking

import rego.v1

families := data.gatekeeper.config.governance.mandatory_controls

# Each family's loaded controls, by the family's position: matched once, not once per rule.
# glob.match compiles its pattern on every call, so it sees only the ids that start with the
# pattern's literal head (with 280 controls loaded, 2,000 calls became a few dozen).
member_lists := [[id |
	some id, _ in input.gate.controls
	some pattern in family.controls
	startswith(id, heads[pattern])
	glob.match(pattern, [], id)
] |
	some family in families
]

heads := {pattern: literal_head(pattern) | some family in families; some pattern in family.controls}

# "SDL-*signed*" -> "SDL-": the pattern up to its first wildcard, escape or group.
literal_head(pattern) := substring(pattern, 0, min(cuts)) if {
	cuts := [i | some mark in ["*", "?", "[", "{", "\\"]; i := indexof(pattern, mark); i >= 0]
	count(cuts) > 0
} else := pattern

# Controls of the family that do not apply to the system's kinds (the gate leaves them out).
not_applicable(family) := [id |
	some id in object.get(input.gate, "not_applicable", [])
	some pattern in family.controls
	glob.match(pattern, [], id)
]

applicable if input.gate

deny contains {"msg": msg, "finding": sprintf("family:%s", [family.family])} if {
	some i, family in families
	count(member_lists[i]) == 0
	count(not_applicable(family)) == 0
	msg := sprintf("no loaded control enforces %s (none matches %v): the family is not enforced", [
		family.family, family.controls,
	])
}

deny contains {"msg": msg, "finding": sprintf("family:%s:%s", [family.family, id])} if {
	some i, family in families
	some id in member_lists[i]
	enforcement := input.gate.controls[id]
	enforcement != "blocking"
	msg := sprintf("%s control %s is %s in the profile, not blocking", [family.family, id, enforcement])
}

details := {family.family: sort(member_lists[i]) | some i, family in families}
