"""Kubernetes manifests (multi-document YAML) -> workloads and network policies.

``evidence.kubernetes`` lists paths or globs of rendered manifests (plain YAML as applied:
render Helm charts with ``helm template`` and kustomizations with ``kustomize build`` first;
a template is not YAML and is refused with its line). Anchors and aliases are accepted
(``yamlio.load_yaml_documents``); only the fields the controls read are copied, with their
types checked.

Facts per workload (Pod, Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, CronJob,
ReplicationController, PodTemplate): namespace (``default`` when the manifest names none, as
kubectl does), pod labels, host namespaces, runtime class, node selector, required node
affinity, tolerations, and per container its image, privilege settings, added capabilities and
extended resources (``nvidia.com/gpu``...). Facts per NetworkPolicy: pod selector, the policy
types in effect (Kubernetes' defaulting applied: Ingress always, Egress when the policy has
egress rules) and its rules. Other kinds are counted, not read: custom workload kinds
(KServe, Kubeflow, Ray) are not seen as workloads.
"""

from __future__ import annotations

from typing import Any

from gatekeeper.errors import EvidenceError
from gatekeeper.evidence.context import CollectContext
from gatekeeper.jsonio import decode_text, mapping_or_empty
from gatekeeper.yamlio import load_yaml_documents

NAME = "kubernetes"
DEFAULT_NAMESPACE = "default"
# kind -> path from the object to its pod template (metadata + spec).
POD_TEMPLATES: dict[str, tuple[str, ...]] = {
    "Pod": (),
    "Deployment": ("spec", "template"),
    "ReplicaSet": ("spec", "template"),
    "StatefulSet": ("spec", "template"),
    "DaemonSet": ("spec", "template"),
    "Job": ("spec", "template"),
    "ReplicationController": ("spec", "template"),
    "PodTemplate": ("template",),
    "CronJob": ("spec", "jobTemplate", "spec", "template"),
}
CONTAINER_LISTS = (
    ("containers", "container"), ("initContainers", "init"), ("ephemeralContainers", "ephemeral"),
)
CORE_RESOURCES = ("cpu", "memory", "ephemeral-storage", "storage", "pods")


def _get(value: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def _string_map(value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        return {}
    return {str(k): str(v) for k, v in value.items() if isinstance(v, (str, int, float, bool))}


def _strings(value: Any) -> list[str]:
    return [str(item) for item in value] if isinstance(value, list) else []


def _flag(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


def _selector(value: Any) -> dict[str, Any]:
    """A label selector: matchLabels and matchExpressions, nothing else."""
    expressions = [
        {"key": str(e.get("key")), "operator": str(e.get("operator")),
         "values": _strings(e.get("values"))}
        for e in (_get(value, "matchExpressions") or ())
        if isinstance(e, dict)
    ]
    return {"match_labels": _string_map(_get(value, "matchLabels")),
            "match_expressions": expressions}


def _resources(container: dict[str, Any]) -> dict[str, str]:
    """Extended resources (GPUs, MIG slices, ...) from requests and limits; limits win."""
    found: dict[str, str] = {}
    for part in ("requests", "limits"):
        for name, quantity in _string_map(_get(container, "resources", part)).items():
            if name not in CORE_RESOURCES and not name.startswith("hugepages-"):
                found[name] = quantity
    return found


def _containers(spec: dict[str, Any]) -> list[dict[str, Any]]:
    containers = []
    for field, kind in CONTAINER_LISTS:
        for container in spec.get(field) or ():
            if not isinstance(container, dict):
                continue
            context = container.get("securityContext") or {}
            containers.append({
                "name": str(container.get("name")),
                "kind": kind,
                "image": str(container.get("image")) if container.get("image") else None,
                "privileged": _flag(_get(context, "privileged")),
                "allow_privilege_escalation": _flag(_get(context, "allowPrivilegeEscalation")),
                "capabilities_add": _strings(_get(context, "capabilities", "add")),
                "run_as_non_root": _flag(_get(context, "runAsNonRoot")),
                "resources": _resources(container),
            })
    return containers


def _required_affinity(spec: dict[str, Any]) -> list[dict[str, Any]]:
    terms = _get(spec, "affinity", "nodeAffinity",
                 "requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms")
    return [
        {"key": str(e.get("key")), "operator": str(e.get("operator")),
         "values": _strings(e.get("values"))}
        for term in terms or () if isinstance(term, dict)
        for e in term.get("matchExpressions") or () if isinstance(e, dict)
    ]


def _tolerations(spec: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {"key": t.get("key") if isinstance(t.get("key"), str) else None,
         "operator": str(t.get("operator") or "Equal"),
         "value": str(t["value"]) if t.get("value") is not None else None,
         "effect": t.get("effect") if isinstance(t.get("effect"), str) else None}
        for t in spec.get("tolerations") or () if isinstance(t, dict)
    ]


def _workload(obj: dict[str, Any], where: dict[str, Any]) -> dict[str, Any]:
    template: Any = obj
    for key in POD_TEMPLATES[obj["kind"]]:
        template = template.get(key) if isinstance(template, dict) else None
    spec = _get(template, "spec")
    if not isinstance(spec, dict):
        raise EvidenceError(
            f"line {where['line']}: {obj['kind']} {where['name']!r} has no pod spec",
            path=where["file"],
        )
    labels = _get(template, "metadata", "labels") if obj["kind"] != "Pod" else _get(
        obj, "metadata", "labels")
    pod_security = spec.get("securityContext") or {}
    return {
        **where,
        "kind": obj["kind"],
        "pod_labels": _string_map(labels),
        "host_network": spec.get("hostNetwork") is True,
        "host_pid": spec.get("hostPID") is True,
        "host_ipc": spec.get("hostIPC") is True,
        "run_as_non_root": _flag(_get(pod_security, "runAsNonRoot")),
        "runtime_class": spec.get("runtimeClassName") if isinstance(
            spec.get("runtimeClassName"), str) else None,
        "node_selector": _string_map(spec.get("nodeSelector")),
        "required_node_affinity": _required_affinity(spec),
        "tolerations": _tolerations(spec),
        "containers": _containers(spec),
    }


def _peers(items: Any) -> list[dict[str, Any]]:
    peers = []
    for peer in items or ():
        if not isinstance(peer, dict):
            continue
        normalized: dict[str, Any] = {}
        if isinstance(peer.get("ipBlock"), dict):
            normalized["ip_block"] = {"cidr": str(peer["ipBlock"].get("cidr")),
                                      "except": _strings(peer["ipBlock"].get("except"))}
        if "namespaceSelector" in peer:
            normalized["namespace_selector"] = _selector(peer["namespaceSelector"])
        if "podSelector" in peer:
            normalized["pod_selector"] = _selector(peer["podSelector"])
        peers.append(normalized)
    return peers


def _rules(spec: dict[str, Any], field: str, peer_field: str) -> list[dict[str, Any]]:
    return [
        {"peers": _peers(rule.get(peer_field)),
         "ports": [_string_map(port) for port in rule.get("ports") or () if isinstance(port, dict)]}
        for rule in spec.get(field) or () if isinstance(rule, dict)
    ]


def _network_policy(obj: dict[str, Any], where: dict[str, Any]) -> dict[str, Any]:
    spec = mapping_or_empty(obj.get("spec"))
    declared = _strings(spec.get("policyTypes"))
    types = declared or ["Ingress", *(["Egress"] if "egress" in spec else [])]
    return {
        **where,
        "pod_selector": _selector(spec.get("podSelector")),
        "policy_types": types,
        "ingress": _rules(spec, "ingress", "from"),
        "egress": _rules(spec, "egress", "to"),
    }


def _objects(value: Any, line: int, source: str) -> list[dict[str, Any]]:
    if not (
        isinstance(value, dict)
        and isinstance(value.get("kind"), str) and value["kind"]
        and isinstance(value.get("apiVersion"), str) and value["apiVersion"]
    ):  # fmt: skip
        raise EvidenceError(
            f"line {line}: not a Kubernetes object (a mapping with apiVersion and kind, "
            "both strings)",
            path=source,
            hint="list only rendered manifests under evidence.kubernetes",
        )
    if str(value["kind"]).endswith("List") and isinstance(value.get("items"), list):
        return [item for entry in value["items"] for item in _objects(entry, line, source)]
    return [value]


def read_manifest(text: str, source: str) -> dict[str, list[dict[str, Any]]]:
    facts: dict[str, list[dict[str, Any]]] = {"workloads": [], "network_policies": []}
    count = 0
    for line, document in load_yaml_documents(text, source, EvidenceError):
        if document is None:
            continue
        for obj in _objects(document, line, source):
            count += 1
            metadata = mapping_or_empty(obj.get("metadata"))
            where = {
                "name": str(metadata.get("name") or "<unnamed>"),
                "namespace": str(metadata.get("namespace") or DEFAULT_NAMESPACE),
                "file": source,
                "line": line,
            }
            if obj["kind"] in POD_TEMPLATES:
                facts["workloads"].append(_workload(obj, where))
            elif obj["kind"] == "NetworkPolicy":
                facts["network_policies"].append(_network_policy(obj, where))
    if not count:
        raise EvidenceError("holds no Kubernetes object", path=source)
    facts["files"] = [{"path": source, "objects": count}]
    return facts


def collect(patterns: list[str], context: CollectContext) -> dict[str, Any]:
    section: dict[str, list[dict[str, Any]]] = {
        "files": [], "workloads": [], "network_policies": []}
    for index, pattern in enumerate(patterns):
        for path in context.expand(pattern, f"evidence.kubernetes[{index}]"):
            source = context.display_path(path)
            facts = read_manifest(_text(context.read(path, NAME), source), source)
            for key, items in facts.items():
                section[key] += items
    return {"kubernetes": section}


def _text(data: bytes, source: str) -> str:
    return decode_text(data, source)
