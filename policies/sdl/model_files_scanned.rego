# METADATA
# title: Every model file was scanned and is free of unsafe operators
# description: >-
#   A model-file scanner (modelscan, picklescan, ModelAudit) looked at every model artifact of the release,
#   found no unsafe operator at or above thresholds.model_scans.block_at, and reported no
#   error. A model file no scanner names is no evidence; a skipped file counts as looked at
#   only when gatekeeper read its format from the bytes as data only
#   (thresholds.model_scans.data_only_formats, such as safetensors).
# custom:
#   severity: critical
#   questions: [SDL-Q6]
#   waivable: false
#   mandatory: true
#   remediation: >-
#     Scan every released model file with `modelscan scan -p <dir> -r json --show-skipped` (or
#     `picklescan -l DEBUG -p <dir>`); replace a file that calls unsafe operators (os.system,
#     exec, eval, subprocess) with safetensors weights, and fix what made the scanner fail.
#   evidence: [artifacts, modelscan, picklescan, modelaudit]
#   strength: measured
#   frameworks:
#     nist_ai_rmf: [MEASURE 2.7]
#     owasp_llm: [LLM03:2025]
#     atlas: [AML.T0011.000, AML.T0018.002, AML.M0016, AML.M0011]
#     saif: [controlSecureByDefaultMLTooling, controlVulnerabilityManagement, MST]
package gatekeeper.controls.sdl.model_files_scanned

import rego.v1

import data.gatekeeper.lib.findings

cfg := data.gatekeeper.config.model_scans

models := [artifact | some artifact in input.artifacts; artifact.kind == "model"]

files := object.get(input, ["model_scans", "files"], [])

# A scanner's file stands for an artifact with the same sha256 (when the scanner records one)
# or the same path (itself, or as a path suffix either way).
names(file, model) if file.sha256 == model.sha256

names(file, model) if file.path == model.path

names(file, model) if endswith(model.path, concat("", ["/", file.path]))

names(file, model) if endswith(file.path, concat("", ["/", model.path]))

looked_at(model) if {
	some file in files
	file.status == "scanned"
	names(file, model)
}

looked_at(model) if {
	some file in files
	file.status == "skipped"
	names(file, model)
	model.format in cfg.data_only_formats
}

applicable if {
	count(models) > 0
	every model in models {
		looked_at(model)
	}
}

deny contains {"msg": msg, "finding": issue.key, "file": shown(issue.path)} if {
	some issue in input.model_scans.issues
	findings.severity_rank[issue.severity] >= findings.severity_rank[cfg.block_at]
	msg := sprintf("%s [%s] %s: %s", [issue.tool, issue.severity, where(shown(issue.path)), issue.message])
}

deny contains {"msg": msg, "finding": sprintf("scan-error:%s", [error.source]), "file": shown(error.path)} if {
	some error in input.model_scans.errors
	msg := sprintf("%s could not scan %s: %s", [error.tool, where(shown(error.path)), error.message])
}

deny contains {"msg": msg, "finding": sprintf("skipped:%s", [model.path]), "file": model.path} if {
	some model in models
	not looked_at(model)
	some file in files
	file.status == "skipped"
	names(file, model)
	msg := sprintf("%s skipped model file %s (%s, format %s): it was not scanned", [
		file.tool, model.path, file.reason, model.format,
	])
}

warn contains {"msg": msg, "finding": issue.key, "file": shown(issue.path)} if {
	some issue in input.model_scans.issues
	findings.severity_rank[issue.severity] < findings.severity_rank[cfg.block_at]
	msg := sprintf("%s [%s] %s: %s", [issue.tool, issue.severity, where(shown(issue.path)), issue.message])
}

# Scanners name files as they saw them (often an absolute path on the build machine): show
# the release artifact's own path when the name matches one.
shown(path) := model.path if {
	is_string(path)
	some model in models
	names({"path": path, "sha256": null}, model)
} else := path

where(path) := path if is_string(path)

else := "(file not named)"

details := {"model_files": [{"path": model.path, "format": model.format, "scanned_by": scanners(model)} |
	some model in models
]}

scanners(model) := sort({file.tool | some file in files; names(file, model)})
