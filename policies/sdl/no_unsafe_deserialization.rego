# METADATA
# title: No unsafe deserialization in model files or loaders
# description: >-
#   No model artifact uses a serialization format that runs code when loaded (pickle and its
#   relatives, thresholds.unsafe_deserialization.banned_formats), and the code scan reports
#   no use of an unsafe loader (thresholds.unsafe_deserialization.banned_rules, such as bandit
#   B301 pickle, B506 yaml.load, B614 torch.load, B615 unpinned Hugging Face downloads).
# custom:
#   severity: critical
#   questions: [SDL-Q6]
#   waivable: false
#   mandatory: true
#   remediation: >-
#     Ship weights as safetensors (or another format that holds only tensors) and load them
#     with a safe loader: `safetensors.torch.load_file`, `torch.load(..., weights_only=True)`,
#     `yaml.safe_load`, `from_pretrained(..., revision=<commit>, use_safetensors=True)`.
#   evidence: [artifacts, sarif]
#   strength: measured
#   frameworks:
#     nist_ai_rmf: [MEASURE 2.7]
#     owasp_llm: [LLM03:2025, LLM04:2025]
#     atlas: [AML.T0011.000, AML.T0018.002, AML.M0011]
#     saif: [controlSecureByDefaultMLTooling, MST]
package gatekeeper.controls.sdl.no_unsafe_deserialization

import rego.v1

import data.gatekeeper.lib.findings

cfg := data.gatekeeper.config.unsafe_deserialization

models := [artifact | some artifact in input.artifacts; artifact.kind == "model"]

applicable if {
	count(models) > 0
	findings.scanned("sast")
}

deny contains {"msg": msg, "finding": model.path, "file": model.path} if {
	some model in models
	model.format in cfg.banned_formats
	msg := sprintf("model artifact %s is serialized as %s: loading it can run arbitrary code", [
		model.path, model.format,
	])
}

# The code scan's findings of the banned rules (applicable needs a scan), found by the
# findings' index: a walk over the code scan's findings here was most of a large run's query.
deny contains findings.entry(finding) if {
	some finding in findings.of_rules("sast", cfg.banned_rules)
	not finding.suppressed
}
