"""CycloneDX SBOM and ML-BOM (JSON and XML, spec 1.2-1.7) -> normalized components and models.

JSON is parsed with orjson and validated with jsonschema-rs against the official schemas that
ship inside cyclonedx-python-lib: the library's own object model and validator are two to four
orders of magnitude slower on large BOMs (see README, Performance). XML is validated with the
library's XSD validator and read with defusedxml. Both serializations end in the same JSON shape,
read by one normalizer.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import orjson

from gatekeeper.errors import EvidenceError
from gatekeeper.jsonio import mapping_or_empty

FORMAT = "cyclonedx"
_XML_NAMESPACE = "http://cyclonedx.org/schema/bom/"
_SCHEMA_BASE = "http://cyclonedx.org/schema/"
MAX_REPORTED_ERRORS = 20


def _schema_version(spec_version: str, path: str) -> Any:
    from cyclonedx.schema import SchemaVersion

    supported = sorted(v for v in SchemaVersion if v >= SchemaVersion.V1_2)
    try:
        version = SchemaVersion.from_version(spec_version)
    except (ValueError, KeyError):
        version = None
    if version not in supported:
        listed = ", ".join(v.to_version() for v in supported)
        raise EvidenceError(
            f"unsupported CycloneDX specVersion {spec_version!r} (supported: {listed})",
            path=path,
        )
    return version


def _refuse_remote(uri: str) -> Any:
    raise ValueError(f"schema reference {uri} is not bundled; refusing to fetch it")


@cache
def _json_validator(spec_version: str) -> Any:
    import jsonschema_rs
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.schema._res import BOM_JSON, CRYPTOGRAPHY_DEFS, JSF, SPDX_JSON

    def load(file: str) -> Any:
        return orjson.loads(Path(file).read_bytes())

    shared = [SPDX_JSON, JSF, CRYPTOGRAPHY_DEFS]
    registry = jsonschema_rs.Registry(
        [(_SCHEMA_BASE + Path(file).name, load(file)) for file in shared],
        retriever=_refuse_remote,
    )
    schema_file = BOM_JSON[SchemaVersion.from_version(spec_version)]
    if schema_file is None:
        raise EvidenceError(f"cyclonedx-python-lib has no JSON schema for CycloneDX {spec_version}")
    return jsonschema_rs.validator_for(
        load(schema_file), registry=registry, retriever=_refuse_remote
    )


def _json_errors(bom: dict[str, Any]) -> list[str]:
    from gatekeeper.schemas import key_path

    errors = []
    for error in _json_validator(bom["specVersion"]).iter_errors(bom):
        errors.append(f"{key_path(error.instance_path)}: {error.message[:300]}")
        if len(errors) >= MAX_REPORTED_ERRORS:
            break
    return errors


def read_json(bom: dict[str, Any], path: str) -> dict[str, Any]:
    spec_version = bom.get("specVersion")
    if not isinstance(spec_version, str):
        raise EvidenceError("CycloneDX document without a specVersion", path=path)
    _schema_version(spec_version, path)
    return normalize(bom, serialization="json", validation_errors=_json_errors(bom))


def is_cyclonedx_xml(data: bytes) -> bool:
    return _XML_NAMESPACE.encode() in data[:4096]


def read_xml(data: bytes, path: str) -> dict[str, Any]:
    from defusedxml import ElementTree
    from defusedxml.common import DefusedXmlException

    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as error:
        raise EvidenceError(f"malformed XML: {error}", path=path) from None
    except DefusedXmlException as error:
        raise EvidenceError(f"refused XML: {error}", path=path) from None
    namespace = root.tag[1:].split("}")[0] if root.tag.startswith("{") else ""
    if not namespace.startswith(_XML_NAMESPACE) or _local(root.tag) != "bom":
        raise EvidenceError("XML document is not a CycloneDX <bom>", path=path)
    spec_version = namespace[len(_XML_NAMESPACE) :]
    version = _schema_version(spec_version, path)
    bom = _xml_to_json_shape(root, namespace, spec_version)
    return normalize(bom, serialization="xml", validation_errors=_xml_errors(data, version))


def _xml_errors(data: bytes, version: Any) -> list[str]:
    from cyclonedx.schema import OutputFormat
    from cyclonedx.validation import make_schemabased_validator

    validator = make_schemabased_validator(OutputFormat.XML, version)
    errors = validator.validate_str(data.decode("utf-8", errors="replace"), all_errors=True)
    reported = []
    for error in errors or ():
        entry = error.data
        reported.append(f"line {entry.line}: {entry.message}")
        if len(reported) >= MAX_REPORTED_ERRORS:
            break
    return reported


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _xml_to_json_shape(root: Any, namespace: str, spec_version: str) -> dict[str, Any]:
    """The subset of a CycloneDX XML BOM that gatekeeper reads, in the JSON format's shape."""
    ns = {"c": namespace}
    bom: dict[str, Any] = {"bomFormat": "CycloneDX", "specVersion": spec_version}
    metadata = root.find("c:metadata", ns)
    if metadata is not None:
        bom["metadata"] = {}
        timestamp = metadata.findtext("c:timestamp", namespaces=ns)
        if timestamp:
            bom["metadata"]["timestamp"] = timestamp
        subject = metadata.find("c:component", ns)
        if subject is not None:
            bom["metadata"]["component"] = _xml_component(subject, ns)
        tools = [
            {
                "name": tool.findtext("c:name", namespaces=ns),
                "version": tool.findtext("c:version", namespaces=ns),
            }
            for tool in metadata.iterfind("c:tools/c:tool", ns)
        ] + [
            _xml_component(tool, ns)
            for tool in metadata.iterfind("c:tools/c:components/c:component", ns)
        ]
        if tools:
            bom["metadata"]["tools"] = tools
    bom["components"] = [
        _xml_component(element, ns) for element in root.iterfind("c:components/c:component", ns)
    ]
    return bom


def _xml_component(element: Any, ns: dict[str, str]) -> dict[str, Any]:
    component: dict[str, Any] = {"type": element.get("type")}
    if element.get("bom-ref"):
        component["bom-ref"] = element.get("bom-ref")
    for field in ("group", "name", "version", "purl"):
        value = element.findtext(f"c:{field}", namespaces=ns)
        if value is not None:
            component[field] = value.strip()
    hashes = [
        {"alg": item.get("alg"), "content": (item.text or "").strip()}
        for item in element.iterfind("c:hashes/c:hash", ns)
    ]
    if hashes:
        component["hashes"] = hashes
    licenses = [
        {"license": {key: license.findtext(f"c:{key}", namespaces=ns)}}
        for license in element.iterfind("c:licenses/c:license", ns)
        for key in ("id", "name")
        if license.findtext(f"c:{key}", namespaces=ns)
    ] + [
        {"expression": (expression.text or "").strip()}
        for expression in element.iterfind("c:licenses/c:expression", ns)
    ]
    if licenses:
        component["licenses"] = licenses
    properties = [
        {"name": item.get("name"), "value": (item.text or "").strip()}
        for item in element.iterfind("c:properties/c:property", ns)
    ]
    if properties:
        component["properties"] = properties
    model_card = element.find("c:modelCard", ns)
    if model_card is not None:
        component["modelCard"] = {_local(child.tag): {} for child in model_card}
        task = model_card.findtext("c:modelParameters/c:task", namespaces=ns)
        if task is not None:
            component["modelCard"]["modelParameters"] = {"task": task.strip()}
        metrics = [
            {
                key: metric.findtext(f"c:{key}", namespaces=ns)
                for key in ("type", "value", "slice")
                if metric.findtext(f"c:{key}", namespaces=ns) is not None
            }
            for metric in model_card.iterfind(
                "c:quantitativeAnalysis/c:performanceMetrics/c:performanceMetric", ns
            )
        ]
        if metrics:
            component["modelCard"]["quantitativeAnalysis"] = {"performanceMetrics": metrics}
    nested = [
        _xml_component(child, ns) for child in element.iterfind("c:components/c:component", ns)
    ]
    if nested:
        component["components"] = nested
    return component


def hash_key(algorithm: str) -> str:
    """``SHA-256`` (CycloneDX) and ``SHA256`` (SPDX) -> ``sha256``."""
    return algorithm.lower().replace("sha-", "sha")


def _component(raw: dict[str, Any]) -> dict[str, Any]:
    hashes = {
        hash_key(str(item.get("alg", ""))): str(item.get("content", "")).lower()
        for item in raw.get("hashes") or ()
        if isinstance(item, dict)
    }
    licenses = []
    for item in raw.get("licenses") or ():
        if not isinstance(item, dict):
            continue
        license = item.get("license") or {}
        value = item.get("expression") or license.get("id") or license.get("name")
        if value:
            licenses.append(str(value))
    return {
        "name": raw.get("name"),
        "version": raw.get("version"),
        "group": raw.get("group"),
        "type": raw.get("type"),
        "purl": raw.get("purl"),
        "bom_ref": raw.get("bom-ref"),
        "hashes": hashes,
        "sha256": hashes.get("sha256"),
        "licenses": licenses,
    }


def _model_card(raw: dict[str, Any]) -> dict[str, Any] | None:
    card = raw.get("modelCard")
    if not isinstance(card, dict):
        return None
    analysis = card.get("quantitativeAnalysis") or {}
    metrics = analysis.get("performanceMetrics") if isinstance(analysis, dict) else None
    parameters = mapping_or_empty(card.get("modelParameters"))
    task = parameters.get("task")
    return {
        "sections": sorted(key for key in card if key != "bom-ref"),
        "task": task if isinstance(task, str) else None,
        "performance_metrics": [
            {key: metric.get(key) for key in ("type", "value", "slice")}
            for metric in metrics or ()
            if isinstance(metric, dict)
        ],
    }


def _properties(raw: dict[str, Any]) -> dict[str, str]:
    """A component's name/value properties (what a model says it is: ``llm``, a task...)."""
    return {
        str(item["name"]): str(item.get("value", ""))
        for item in raw.get("properties") or ()
        if isinstance(item, dict) and item.get("name") is not None
    }


def _walk(components: Any) -> list[dict[str, Any]]:
    found = []
    for raw in components or ():
        if isinstance(raw, dict):
            found.append(raw)
            found.extend(_walk(raw.get("components")))
    return found


def normalize(
    bom: dict[str, Any], *, serialization: str, validation_errors: list[str]
) -> dict[str, Any]:
    """One BOM as the evidence document holds it: a summary, its components, models, datasets."""
    metadata = mapping_or_empty(bom.get("metadata"))
    subject = metadata.get("component") if isinstance(metadata.get("component"), dict) else None
    raws = _walk(bom.get("components"))
    components = [_component(raw) for raw in raws]
    described = ([subject] if subject else []) + raws
    models = [
        {**_component(raw), "model_card": _model_card(raw), "properties": _properties(raw)}
        for raw in described
        if raw.get("type") == "machine-learning-model"
    ]
    datasets = [_component(raw) for raw in described if raw.get("type") == "data"]
    tools = metadata.get("tools")
    if isinstance(tools, dict):  # 1.5+: {"components": [...], "services": [...]}
        tools = (tools.get("components") or []) + (tools.get("services") or [])
    return {
        "format": FORMAT,
        "spec_version": bom.get("specVersion"),
        "serialization": serialization,
        "valid": not validation_errors,
        "validation_errors": validation_errors,
        "subject": _component(subject) if subject else None,
        "tools": sorted({str(tool.get("name")) for tool in tools or () if isinstance(tool, dict)}),
        "component_count": len(components),
        "components": components,
        "models": models,
        "datasets": datasets,
    }
