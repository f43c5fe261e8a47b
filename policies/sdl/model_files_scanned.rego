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

# A scanner's file stands for an artifact when it names the artifact's current sha256 (ModelAudit
# records one). A scanner that records no digest (modelscan, picklescan) stands for it by path
# (itself, or as a path suffix either way) only when its report was written after the file last
# changed: a weaker match, shown as "by path". A recorded digest that differs never matches,
# whatever the path: the file changed after the scan.
names(file, model) if file.sha256 == model.sha256

names(file, model) if by_path(file, model)

by_path(file, model) if {
	object.get(file, "sha256", null) == null
	same_path(file, model)
	file.report_mtime_us >= model.mtime_us
}

same_path(file, model) if file.path == model.path

same_path(file, model) if endswith(model.path, concat("", ["/", file.path]))

same_path(file, model) if endswith(file.path, concat("", ["/", model.path]))

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
	msg := sprintf("%s [%s] %s: %s", [issue.tool, issue.severity, where(shown(issue.path), issue.source), issue.message])
}

deny contains {"msg": msg, "finding": sprintf("scan-error:%s", [error.source]), "file": shown(error.path)} if {
	some error in input.model_scans.errors
	msg := sprintf("%s could not scan %s: %s", [error.tool, where(shown(error.path), error.source), error.message])
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

deny contains {"msg": msg, "finding": sprintf("stale:%s", [model.path]), "file": model.path} if {
	some model in models
	not looked_at(model)
	some file in files
	same_path(file, model)
	is_string(object.get(file, "sha256", null))
	file.sha256 != model.sha256
	msg := sprintf("%s scanned %s with sha256 %s, but the file now has %s: it changed after the scan; scan it again", [
		file.tool, model.path, short(file.sha256), short(model.sha256),
	])
}

deny contains {"msg": msg, "finding": sprintf("stale:%s", [model.path]), "file": model.path} if {
	some model in models
	not looked_at(model)
	some file in files
	same_path(file, model)
	object.get(file, "sha256", null) == null
	file.report_mtime_us < model.mtime_us
	msg := sprintf("%s's report %s is older than %s, which changed after the scan (%s records no sha256, so only a newer scan can cover it); scan it again", [
		file.tool, file.source, model.path, file.tool,
	])
}

short(digest) := substring(digest, 0, 12)

warn contains {"msg": msg, "finding": issue.key, "file": shown(issue.path)} if {
	some issue in input.model_scans.issues
	findings.severity_rank[issue.severity] < findings.severity_rank[cfg.block_at]
	msg := sprintf("%s [%s] %s: %s", [issue.tool, issue.severity, where(shown(issue.path), issue.source), issue.message])
}

# Scanners name files as they saw them (often an absolute path on the build machine): show
# the release artifact's own path when the name matches one.
shown(path) := model.path if {
	is_string(path)
	some model in models
	same_path({"path": path}, model)
} else := path

# A finding the scanner attributes to no file (picklescan's suspicious globals) names the report.
where(path, source) := path if is_string(path)

else := sprintf("a file in %s", [source])

details := object.union(
	{"model_files": [{"path": model.path, "format": model.format, "scanned_by": scanners(model)} |
		some model in models
	]},
	weaker_strength,
)

# "ModelAudit (sha256)", "modelscan (by path)": how each scanner's report was matched to the file.
scanners(model) := sort({sprintf("%s (%s)", [file.tool, match(file, model)]) |
	some file in files
	names(file, model)
})

match(file, model) := "sha256" if file.sha256 == model.sha256

else := "by path"

# A model covered only by a path match is declared covered, not measured: nothing ties the
# scanned bytes to the released ones but a name and a time.
weaker_strength := {"strength": "declared"} if {
	some model in models
	looked_at(model)
	not by_digest(model)
} else := {}

by_digest(model) if {
	some file in files
	file.status in {"scanned", "skipped"}
	file.sha256 == model.sha256
}
