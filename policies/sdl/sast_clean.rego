# METADATA
# title: No SAST finding at or above the blocking severity
# description: >-
#   A static analysis scan (bandit, semgrep, CodeQL, ...) of the release's code ran and reported
#   no unsuppressed finding at or above thresholds.sast.block_at.
# custom:
#   severity: high
#   questions: [SDL-Q2, SDL-Q9]
#   waivable: true
#   remediation: >-
#     Fix the reported code, or suppress a reviewed false positive in the scanner (for example
#     '# nosec' with a reason for bandit). Run the scanner in CI with SARIF output and list the
#     file under evidence.sarif.
#   evidence: [sarif, scanners]
#   strength: measured
#   frameworks:
#     nist_ai_rmf: [MEASURE 2.7]
#     atlas: [AML.M0016]
#     saif: [controlVulnerabilityManagement]
package gatekeeper.controls.sdl.sast_clean

import rego.v1

import data.gatekeeper.lib.findings

threshold := data.gatekeeper.config.sast.block_at

applicable if findings.scanned("sast")

deny contains findings.entry(finding) if {
	some finding in findings.blocking("sast", threshold)
}

deny contains findings.inconclusive_entry(run) if {
	some run in findings.inconclusive("sast")
}

suppressed contains findings.suppressed_entry(finding) if {
	some finding in findings.waived("sast", threshold)
}

warn contains sprintf("%d SAST findings below %s severity (not blocking)", [below, threshold]) if {
	below := findings.below_count("sast", threshold)
	below > 0
}
