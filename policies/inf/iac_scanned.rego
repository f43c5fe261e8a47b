# METADATA
# title: An IaC scan covers every infrastructure file of the release
# description: >-
#   Every Dockerfile (evidence.dockerfiles) and every Kubernetes manifest that defines a workload
#   (evidence.kubernetes) appears among the files an IaC scan reported checking -- the scanned
#   files of a native checkov or trivy JSON report in evidence.scanners (SARIF lists only the
#   files with findings, so it cannot show coverage) -- and no IaC scan skipped one of them as
#   unparsable. Paths match exactly: gatekeeper reads each scanner's paths relative to the
#   folder it ran in (the entry's root:) and compares repository paths, so a file of the same
#   name elsewhere never counts (docs/scanners.md). INF-Q5 asks for automated secure provisioning and configuration drift
#   detection: one release run can show only that the committed infrastructure code was
#   scanned. Whether the scan ran on these exact bytes (scanners record no file digests), and
#   whether the live environment drifted from this code, need continuous checks across runs
#   (gatekeeper aggregate) and stay attested.
# custom:
#   severity: medium
#   questions: []
#   waivable: true
#   remediation: >-
#     Scan the folder that holds the Dockerfiles and manifests in CI with checkov -o json
#     (without --quiet) or trivy config -f json, and list the report under evidence.scanners;
#     fix files the scanner could not parse.
#   evidence: [scanners, kubernetes, dockerfiles]
#   strength: measured
#   frameworks:
#     nist_ai_rmf: [MEASURE 2.7, MANAGE 2.4]
#     atlas: [AML.M0016]
#     saif: [controlVulnerabilityManagement, SAIF-E3]
package gatekeeper.controls.inf.iac_scanned

import rego.v1

import data.gatekeeper.lib.kubernetes

infrastructure_files := {path |
	some file in object.get(input, "dockerfiles", [])
	path := file.path
} | {workload.file | some workload in kubernetes.workloads}

iac_runs := [run |
	some run in object.get(input, ["scans", "runs"], [])
	"iac" in run.categories
]

# The exact repository path: a Dockerfile scanned elsewhere does not cover this one.
covered(path) if {
	some run in iac_runs
	path in object.get(run, "scanned_files", [])
}

applicable if count(infrastructure_files) > 0

deny contains "no IaC scan in the evidence: scan the Dockerfiles and manifests with checkov or trivy config" if {
	count(iac_runs) == 0
}

deny contains {"msg": sprintf("%s: no IaC scan reports checking this file", [path]), "finding": sprintf("%s:unscanned", [path]), "file": path, "line": null} if {
	count(iac_runs) > 0
	some path in infrastructure_files
	not covered(path)
}

deny contains {"msg": sprintf("%s (%s): %s", [skipped.name, run.source, skipped.reason]), "finding": sprintf("%s:unparsed", [skipped.name]), "file": run.source, "line": null} if {
	some run in iac_runs
	some skipped in object.get(run, "skipped", [])
}

warn contains sprintf("%s (%s) lists no scanned files, so it cannot show what it covered", [run.tool, run.source]) if {
	some run in iac_runs
	not run.scanned_files
}

details := {"files": [{"file": path, "scanned": covered_flag(path)} | some path in infrastructure_files]}

covered_flag(path) := true if covered(path)

else := false
