# METADATA
# title: Signatures and provenance are recent and already valid
# description: >-
#   Every verified signature and provenance is younger than trust.max_age_days (signatures:
#   the transparency-log or timestamp-authority time; provenance: that time, else the build's
#   finish time), none is dated after the evaluation time, and every signing certificate of a
#   certificate-chain model signature is within its validity period. A signature with no
#   trusted time is reported, since its age cannot be checked.
# custom:
#   severity: medium
#   questions: [SDL-Q5, SDL-Q7]
#   waivable: true
#   remediation: >-
#     Re-sign and rebuild releases whose signatures or provenance are older than the allowed
#     age, renew expired signing certificates, and check the clock of any builder that dates
#     its provenance in the future. Adjust trust.max_age_days to the organization's policy.
#   evidence: [signatures, model_signatures, provenance]
#   strength: verified
#   frameworks:
#     nist_ai_rmf: [MEASURE 2.7]
#     owasp_llm: [LLM03:2025]
#     atlas: [AML.M0013]
#     saif: [controlModelAndDataIntegrityManagement, MDT]
package gatekeeper.controls.sdl.attestations_fresh

import rego.v1

import data.gatekeeper.lib.attestations

# The collector fills in the defaults (365 days each) when trust.max_age_days leaves them out.
max_age := attestations.trust.max_age_days

# Clocks differ a little: a time up to five minutes ahead is not "in the future".
skew_ns := 300000000000

# Every verified signature and provenance statement, with the max_age_days key it answers to.
checked := array.concat(
	[{"kind": "signatures", "entry": entry} |
		some entry in array.concat(attestations.signatures, attestations.model_signatures)
		entry.verified
	],
	[{"kind": "provenance", "entry": entry} | some entry in attestations.statements; entry.verified],
)

applicable if count(checked) > 0

moment(entry) := entry.signed_at if is_string(object.get(entry, "signed_at", null))

moment(entry) := entry.finished_on if {
	not is_string(object.get(entry, "signed_at", null))
	is_string(object.get(entry, "finished_on", null))
}

moment(entry) := entry.started_on if {
	not is_string(object.get(entry, "signed_at", null))
	not is_string(object.get(entry, "finished_on", null))
	is_string(object.get(entry, "started_on", null))
}

deny contains {"msg": msg, "finding": attestations.label(entry), "file": entry.source} if {
	some item in checked
	kind := item.kind
	entry := item.entry
	age := attestations.age_days(moment(entry))
	age > max_age[kind]
	msg := sprintf("%s is %d days old (dated %s); trust.max_age_days.%s allows %d", [
		attestations.label(entry), age, moment(entry), kind, max_age[kind],
	])
}

deny contains {"msg": msg, "finding": attestations.label(entry), "file": entry.source} if {
	some item in checked
	entry := item.entry
	time.parse_rfc3339_ns(moment(entry)) > attestations.now_ns + skew_ns
	msg := sprintf("%s is dated %s, after the evaluation time: not yet valid", [
		attestations.label(entry), moment(entry),
	])
}

deny contains {"msg": msg, "finding": attestations.label(entry), "file": entry.source} if {
	some item in checked
	entry := item.entry
	certificate := entry.signer.certificate
	time.parse_rfc3339_ns(certificate.not_after) < attestations.now_ns
	msg := sprintf("the signing certificate of %s (%s) expired on %s", [
		attestations.label(entry), certificate.subject, certificate.not_after,
	])
}

deny contains {"msg": msg, "finding": attestations.label(entry), "file": entry.source} if {
	some item in checked
	entry := item.entry
	certificate := entry.signer.certificate
	time.parse_rfc3339_ns(certificate.not_before) > attestations.now_ns
	msg := sprintf("the signing certificate of %s (%s) is not valid before %s", [
		attestations.label(entry), certificate.subject, certificate.not_before,
	])
}

warn contains {"msg": msg, "file": entry.source} if {
	some item in checked
	entry := item.entry
	not moment(entry)
	msg := sprintf("%s carries no trusted time: its age cannot be checked", [attestations.label(entry)])
}

details := {
	"max_age_days": max_age,
	"evaluated_at": input.collected_at,
	"ages": [{"source": attestations.label(entry), "kind": kind, "time": moment(entry),
		"age_days": attestations.age_days(moment(entry))} |
		some item in checked
	kind := item.kind
	entry := item.entry
	],
}
