# METADATA
# title: Models are versioned in a named registry with a digest that matches the release
# description: >-
#   Every self-hosted model in the system manifest names a declared registry and its digest,
#   and the declaration is checked against measured evidence: the digest must equal the sha256
#   of the released model file (artifacts of kind model) or of the ML-BOM component of the same
#   name, and an ML-BOM component of that name must carry the declared digest and version. Every
#   released model file must be declared with its digest. A provider-hosted model must be pinned
#   to a dated or numbered version, not a moving alias. Runs when the release has a model file or
#   an ML-BOM model to compare with.
# custom:
#   severity: critical
#   questions: [MOD-Q2]
#   waivable: false
#   remediation: >-
#     Publish each model version to a registry and declare it in ai-system.yaml (registry,
#     version, digest: sha256 of the weights); regenerate the ML-BOM from the same file, and
#     pin provider models to a dated snapshot.
#   evidence: [manifest, sbom, artifacts]
#   strength: measured
#   frameworks:
#     nist_ai_rmf: [MANAGE 3.2, MAP 4.1, MEASURE 2.7]
#     owasp_llm: [LLM03:2025, LLM04:2025]
#     atlas: [AML.T0010.003, AML.T0018, AML.M0014, AML.M0023]
#     saif: [MST, MDT, controlModelAndDataIntegrityManagement, controlModelAndDataInventoryManagement]
package gatekeeper.controls.mod.registry_digest_matches

import rego.v1

import data.gatekeeper.lib.manifest

released := [artifact | some artifact in input.artifacts; artifact.kind == "model"]

released_digests := {artifact.sha256 | some artifact in released}

bom_models := object.get(object.get(input, "sbom", {}), "models", [])

registry_names := {registry.name | some registry in object.get(manifest.declared, "registries", [])}

self_hosted := [model | some model in manifest.models; model.hosting == "self-hosted"]

declared_digests := {digest(model) | some model in self_hosted}

moving_versions := {"latest", "stable", "current", "default", "preview"}

applicable if {
	input.manifest
	count(released) + count(bom_models) > 0
}

deny contains manifest.entry(msg, sprintf("model:%s:registry", [model.name])) if {
	some model in self_hosted
	not model.registry
	msg := sprintf("model %s names no registry: add registry: <name> to it, and that registry under registries", [model.name])
}

deny contains manifest.entry(msg, sprintf("model:%s:registry", [model.name])) if {
	some model in self_hosted
	model.registry
	not model.registry in registry_names
	msg := sprintf("model %s names registry %v, which is not declared under registries", [
		model.name, model.registry,
	])
}

deny contains manifest.entry(msg, sprintf("model:%s:digest", [model.name])) if {
	some model in self_hosted
	not model.digest
	msg := sprintf("model %s declares no digest", [model.name])
}

deny contains manifest.entry(msg, sprintf("model:%s:digest", [model.name])) if {
	some model in self_hosted
	model.digest
	some component in bom_models
	component.name == model.name
	component.sha256 != digest(model)
	msg := sprintf("model %s: declared digest %s differs from the ML-BOM's sha256 %v (%s)", [
		model.name, short(digest(model)), short(component.sha256), component.source,
	])
}

deny contains manifest.entry(msg, sprintf("model:%s:version", [model.name])) if {
	some model in self_hosted
	some component in bom_models
	component.name == model.name
	component.version != model.version
	msg := sprintf("model %s: declared version %s differs from the ML-BOM's %v (%s)", [
		model.name, model.version, component.version, component.source,
	])
}

deny contains manifest.entry(msg, sprintf("model:%s:unverified", [model.name])) if {
	some model in self_hosted
	model.digest
	not digest(model) in released_digests
	count([c | some c in bom_models; c.name == model.name]) == 0
	msg := sprintf("model %s: digest %s matches no released model file and the ML-BOM has no component %s", [
		model.name, short(digest(model)), model.name,
	])
}

deny contains {"msg": msg, "finding": artifact.sha256, "file": artifact.path} if {
	some artifact in released
	not artifact.sha256 in declared_digests
	msg := sprintf("released model file %s (sha256 %s) is not declared in %s with that digest", [
		artifact.path, short(artifact.sha256), manifest.source,
	])
}

deny contains manifest.entry(msg, sprintf("model:%s:version", [model.name])) if {
	some model in manifest.models
	model.hosting == "provider"
	not pinned(model.version)
	msg := sprintf("provider model %s is not pinned to a dated or numbered version (version: %s)", [model.name, model.version])
}

digest(model) := trim_prefix(model.digest, "sha256:")

short(value) := substring(value, 0, 12) if is_string(value)

short(value) := "none" if not is_string(value)

pinned(version) if {
	not lower(version) in moving_versions
	regex.match(`[0-9]`, version)
}

details := {model.name: {
	"declared": object.get(model, "digest", null),
	"released": digest(model) in released_digests,
	"in_ml_bom": count([c | some c in bom_models; c.name == model.name]) > 0,
} | some model in self_hosted}
