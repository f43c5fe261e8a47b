# METADATA
# title: No container image vulnerability at or above the blocking severity
# description: >-
#   A vulnerability scan of the release's container images (trivy image, grype, ...) ran and
#   reported no unsuppressed vulnerability at or above thresholds.container.block_at.
# custom:
#   severity: high
#   questions: [SDL-Q3, SDL-Q9]
#   waivable: true
#   remediation: >-
#     Rebuild the image on a patched base image (pinned by digest) and upgrade the affected
#     packages, then scan again.
#   evidence: [sarif, scanners]
#   strength: measured
#   frameworks:
#     nist_ai_rmf: [MEASURE 2.7, MANAGE 3.1]
#     owasp_llm: [LLM03:2025]
#     atlas: [AML.T0010.004, AML.M0016]
#     saif: [controlVulnerabilityManagement]
package gatekeeper.controls.sdl.container_scan_clean

import rego.v1

import data.gatekeeper.lib.findings

threshold := data.gatekeeper.config.container.block_at

applicable if findings.scanned("container")

deny contains findings.entry(finding) if {
	some finding in findings.blocking("container", threshold)
}

deny contains findings.inconclusive_entry(run) if {
	some run in findings.inconclusive("container")
}

suppressed contains findings.suppressed_entry(finding) if {
	some finding in findings.waived("container", threshold)
}

warn contains sprintf("%d container findings below %s severity (not blocking)", [below, threshold]) if {
	below := findings.below_count("container", threshold)
	below > 0
}
