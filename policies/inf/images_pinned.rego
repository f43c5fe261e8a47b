# METADATA
# title: Base images are pinned by digest and CUDA / driver versions are pinned
# description: >-
#   Every base image of every build stage in the release's Dockerfiles (evidence.dockerfiles)
#   is pinned by sha256 digest (ARG defaults resolved; earlier stages and scratch excepted),
#   every container image the AI workloads of evidence.kubernetes run is pinned by digest, a
#   Dockerfile that uses CUDA shows an exact CUDA version (in its base image tag or a
#   CUDA_VERSION-style ENV/ARG), and every CUDA, cuDNN or NVIDIA driver version it declares is an
#   exact version, not latest, a bare major or an unset build argument. A digest makes the
#   image immutable; whether the base image is signed, and which driver the GPU nodes run (set by
#   the node pool, not the image), are not visible here.
# custom:
#   severity: medium
#   questions: [INF-Q3]
#   waivable: true
#   remediation: >-
#     Write FROM image:tag@sha256:<digest> (crane digest or docker buildx imagetools inspect
#     gives it) and let a bot such as Renovate update the digest; deploy images by digest; set
#     ENV CUDA_VERSION / NVIDIA_DRIVER_VERSION to exact versions, or use a base image whose tag
#     names the exact CUDA version.
#   evidence: [dockerfiles, kubernetes]
#   strength: measured
#   frameworks:
#     nist_ai_rmf: [MEASURE 2.7, MANAGE 3.1]
#     owasp_llm: [LLM03:2025]
#     atlas: [AML.T0010.004, AML.T0010.001]
#     saif: [controlSecureByDefaultMLTooling, MDT]
package gatekeeper.controls.inf.images_pinned

import rego.v1

import data.gatekeeper.lib.kubernetes

dockerfiles := object.get(input, "dockerfiles", [])

base_stages := [{"file": file.path, "stage": stage} |
	some file in dockerfiles
	some stage in file.stages
	not stage.stage_ref
]

applicable if count(dockerfiles) > 0

applicable if count(kubernetes.ai_workloads) > 0

deny contains {"msg": sprintf("FROM %s: the image %q is not pinned by digest", [base.stage.written, base.stage.image]), "finding": sprintf("%s:%d:digest", [base.file, base.stage.line]), "file": base.file, "line": base.stage.line} if {
	some base in base_stages
	not base.stage.unresolved
	base.stage.digest == null
}

deny contains {"msg": sprintf("FROM %s: a variable is left unresolved, so the base image cannot be known", [base.stage.written]), "finding": sprintf("%s:%d:unresolved", [base.file, base.stage.line]), "file": base.file, "line": base.stage.line} if {
	some base in base_stages
	base.stage.unresolved
}

deny contains {"msg": "uses CUDA but shows no exact CUDA version (base image tag or ENV CUDA_VERSION)", "finding": sprintf("%s:cuda-version", [file.path]), "file": file.path, "line": null} if {
	some file in dockerfiles
	file.uses_cuda
	not pins_cuda(file)
}

deny contains {"msg": sprintf("%s=%q is not an exact %s version", [pin.name, pin.value, pin.component]), "finding": sprintf("%s:%d:%s", [file.path, pin.line, pin.component]), "file": file.path, "line": pin.line} if {
	some file in dockerfiles
	some pin in file.version_pins
	not pin.pinned
}

deny contains kubernetes.entry(workload, sprintf("%s:digest", [container.name]), sprintf("container %s runs the image %q, not pinned by digest", [container.name, container.image])) if {
	some workload in kubernetes.ai_workloads
	some container in workload.containers
	not kubernetes.pinned_by_digest(object.get(container, "image", ""))
}

pins_cuda(file) if {
	some pin in file.version_pins
	pin.component == "cuda"
	pin.pinned
}

details := {"base_images": [{"file": base.file, "line": base.stage.line, "image": base.stage.image, "digest": base.stage.digest} | some base in base_stages]}
