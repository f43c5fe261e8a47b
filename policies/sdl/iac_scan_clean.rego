# METADATA
# title: No IaC misconfiguration at or above the blocking severity
# description: >-
#   An infrastructure-as-code scan (checkov, trivy config, kics, ...) of the release's
#   Terraform, Kubernetes and Dockerfiles ran and reported no unsuppressed misconfiguration at
#   or above thresholds.iac.block_at.
# custom:
#   severity: high
#   questions: [SDL-Q3, SDL-Q9]
#   waivable: true
#   remediation: >-
#     Fix the misconfigurations (network exposure, privileged containers, unencrypted storage),
#     or suppress a reviewed exception in the scanner's own configuration with a reason.
#   evidence: [sarif, scanners]
#   strength: measured
#   frameworks:
#     nist_ai_rmf: [MEASURE 2.7]
#     atlas: [AML.M0016]
#     saif: [controlSecureByDefaultMLTooling, controlVulnerabilityManagement]
package gatekeeper.controls.sdl.iac_scan_clean

import rego.v1

import data.gatekeeper.lib.findings

threshold := data.gatekeeper.config.iac.block_at

applicable if findings.scanned("iac")

deny contains findings.entry(finding) if {
	some finding in findings.blocking("iac", threshold)
}

deny contains findings.inconclusive_entry(run) if {
	some run in findings.inconclusive("iac")
}

suppressed contains findings.suppressed_entry(finding) if {
	some finding in findings.waived("iac", threshold)
}

warn contains sprintf("%d IaC findings below %s severity (not blocking)", [below, threshold]) if {
	below := findings.below_count("iac", threshold)
	below > 0
}
