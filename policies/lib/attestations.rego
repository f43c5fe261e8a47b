# Helpers for controls over signatures and provenance (input.signatures, input.model_signatures,
# input.provenance, input.trust). Every signature was verified in Python at collection; an
# entry says verified, or why not: rejected (a failure) or unverifiable (an error).
package gatekeeper.lib.attestations

import rego.v1

signatures := object.get(input, "signatures", [])

model_signatures := object.get(input, "model_signatures", [])

statements := object.get(input, ["provenance", "statements"], [])

layouts := object.get(input, ["provenance", "layouts"], [])

trust := object.get(input, "trust", {})

# Verified SLSA provenance (v0.2 or v1): the only statements whose build facts count.
slsa_provenance := [statement |
	some statement in statements
	statement.verified
	object.get(statement, "slsa_version", null) != null
]

rejected(entry) if {
	not entry.verified
	not entry.unverifiable
}

# "bundle.sigstore (line 2)" for an attestation file that holds several.
label(entry) := sprintf("%s (entry %d)", [entry.source, entry.index]) if entry.index > 1

label(entry) := entry.source if object.get(entry, "index", 1) == 1

# One error message per entry that could not be verified here, naming the library's reason.
unverifiable_entry(entry) := {"msg": msg, "finding": label(entry), "file": entry.source} if {
	entry.unverifiable
	msg := sprintf("%s could not be verified: %s", [label(entry), entry.error])
}

# What a report shows of one signature: who signed, what vouched for the time, why it failed.
summary(entry) := object.filter(entry, {
	"source", "index", "artifact", "model", "method", "verified", "unverifiable", "error",
	"signer", "log", "signed_at", "files", "subjects", "predicate_type", "slsa_version",
	"builder_id", "build_type", "source_repository", "source_ref", "source_commit",
	"started_on", "finished_on", "expires", "steps", "claims",
})

# A build fact (builder_id, source_repository, source_ref, source_commit) of verified
# provenance that its signer does not vouch for: the predicate disagrees with the signing
# certificate, claims what the certificate does not state, or names a builder the signing key
# is not bound to. Collection put the signer's value (when it has one) in the statement.
disputed(statement, field) := claim if {
	claim := object.get(statement, ["claims", field], null)
	claim != null
	claim.agrees == false
}

# The build facts of a statement its signer does not vouch for, sorted.
disputed_fields(statement) := sort([field |
	some field, claim in object.get(statement, "claims", {})
	claim.agrees == false
])

# Verified SLSA provenance whose every build fact its signer vouches for: the statements whose
# subjects count as attested.
vouched_provenance := [statement |
	some statement in slsa_provenance
	count(disputed_fields(statement)) == 0
]

# The words for a disputed fact, naming both values.
dispute_msg(statement, field, claim) := sprintf(
	"%s: the predicate says %s %v but the signing certificate says %v",
	[label(statement), field, claim.predicate, claim.certificate],
) if claim.from == "certificate"

dispute_msg(statement, field, claim) := sprintf(
	"%s: the predicate says %s %v but the signing certificate (%v) names no %s: nobody vouches for it",
	[label(statement), field, claim.predicate, object.get(statement, ["signer", "identity"], null), field],
) if claim.from == "predicate"

dispute_msg(statement, field, claim) := sprintf(
	"%s: the predicate says %s %v but key %s is bound to builders %v (trust.keys[].builders)",
	[label(statement), field, claim.predicate, claim.key, object.get(statement, ["signer", "builders"], [])],
) if claim.from == "key"

# Where each build fact of a statement came from, for a control's details.
claim_sources(statement) := {field: object.filter(claim, {"from", "predicate", "certificate", "agrees"}) |
	some field, claim in object.get(statement, "claims", {})
}

# Who was trusted, as the trust: section said at collection.
trusted := object.filter(trust, {"sigstore", "identities", "keys", "certificates"})

now_ns := time.parse_rfc3339_ns(input.collected_at)

day_ns := (24 * 60) * 60000000000

# Whole days between a time and the evaluation time (negative: in the future).
age_days(moment) := floor((now_ns - time.parse_rfc3339_ns(moment)) / day_ns)
