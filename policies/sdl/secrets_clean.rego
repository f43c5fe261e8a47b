# METADATA
# title: No secret committed to the release's sources
# description: >-
#   A secrets scan (gitleaks, trufflehog, ...) of the release's sources ran and found no
#   unsuppressed secret at or above thresholds.secrets.block_at (by default: any).
# custom:
#   severity: high
#   questions: [SDL-Q2, SDL-Q9]
#   waivable: true
#   mandatory: true
#   remediation: >-
#     Revoke and rotate every reported credential first, then remove it from the code and its
#     history and load it from a secrets manager at run time.
#   evidence: [sarif, scanners]
#   strength: measured
#   frameworks:
#     nist_ai_rmf: [MEASURE 2.7]
#     owasp_llm: [LLM02:2025]
#     atlas: [AML.T0055]
#     saif: [controlModelAndDataAccessControls]
package gatekeeper.controls.sdl.secrets_clean

import rego.v1

import data.gatekeeper.lib.findings

threshold := data.gatekeeper.config.secrets.block_at

applicable if findings.scanned("secrets")

deny contains findings.entry(finding) if {
	some finding in findings.blocking("secrets", threshold)
}

deny contains findings.inconclusive_entry(run) if {
	some run in findings.inconclusive("secrets")
}

suppressed contains findings.suppressed_entry(finding) if {
	some finding in findings.waived("secrets", threshold)
}

warn contains sprintf("%d secrets findings below %s severity (not blocking)", [below, threshold]) if {
	below := findings.below_count("secrets", threshold)
	below > 0
}
