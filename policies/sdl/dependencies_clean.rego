# METADATA
# title: No vulnerable dependency at or above the blocking severity
# description: >-
#   A software composition analysis (osv-scanner, pip-audit, trivy fs, ...) of the release's
#   dependencies ran and reported no unsuppressed known vulnerability at or above
#   thresholds.sca.block_at, and no dependency scan was inconclusive: a pip-audit run that
#   skipped dependencies (offline, not on the index) says nothing about them and fails this
#   control, however clean the rest of its report looks.
# custom:
#   severity: high
#   questions: [SDL-Q9]
#   waivable: true
#   remediation: >-
#     Upgrade the affected dependencies to a fixed version (the finding names it) and regenerate
#     the lock file, then scan again; when a scan is inconclusive, rerun it where the
#     vulnerability service is reachable and every dependency resolves.
#   evidence: [sarif, scanners]
#   strength: measured
#   frameworks:
#     nist_ai_rmf: [GOVERN 6.1, MANAGE 3.1]
#     owasp_llm: [LLM03:2025]
#     atlas: [AML.T0010.001, AML.M0016]
#     saif: [controlVulnerabilityManagement, IIC]
package gatekeeper.controls.sdl.dependencies_clean

import rego.v1

import data.gatekeeper.lib.findings

threshold := data.gatekeeper.config.sca.block_at

applicable if findings.scanned("sca")

deny contains findings.entry(finding) if {
	some finding in findings.blocking("sca", threshold)
}

deny contains findings.inconclusive_entry(run) if {
	some run in findings.inconclusive("sca")
}

suppressed contains findings.suppressed_entry(finding) if {
	some finding in findings.waived("sca", threshold)
}

warn contains sprintf("%d dependency findings below %s severity (not blocking)", [below, threshold]) if {
	below := findings.below_count("sca", threshold)
	below > 0
}
