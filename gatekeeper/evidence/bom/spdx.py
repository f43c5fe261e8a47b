"""SPDX 2.x JSON -> the same normalized components as CycloneDX.

No official SPDX 2.3 JSON Schema ships in any dependency, so the document is checked for the
fields SPDX 2.3 makes mandatory (document creation information, and name, SPDXID and
downloadLocation per package) rather than against the full schema.
"""

from __future__ import annotations

from typing import Any

from gatekeeper.errors import EvidenceError
from gatekeeper.evidence.bom.cyclonedx import MAX_REPORTED_ERRORS, hash_key

FORMAT = "spdx"
_DOCUMENT_FIELDS = ("spdxVersion", "dataLicense", "SPDXID", "name", "documentNamespace")
_PACKAGE_FIELDS = ("name", "SPDXID", "downloadLocation")
_NO_VALUE = {"NOASSERTION", "NONE", ""}


def is_spdx(document: Any) -> bool:
    return isinstance(document, dict) and "spdxVersion" in document


def _missing_fields(document: dict[str, Any]) -> list[str]:
    errors = [
        f"{field}: required by SPDX 2.3" for field in _DOCUMENT_FIELDS if field not in document
    ]
    creation = document.get("creationInfo")
    if not isinstance(creation, dict):
        errors.append("creationInfo: required by SPDX 2.3")
    else:
        errors += [
            f"creationInfo.{field}: required by SPDX 2.3"
            for field in ("created", "creators")
            if field not in creation
        ]
    packages = document.get("packages", [])
    if not isinstance(packages, list):
        return [*errors, "packages: must be an array"]
    for index, package in enumerate(packages):
        if not isinstance(package, dict):
            errors.append(f"packages[{index}]: must be an object")
            continue
        errors += [
            f"packages[{index}].{field}: required by SPDX 2.3"
            for field in _PACKAGE_FIELDS
            if field not in package
        ]
    return errors[:MAX_REPORTED_ERRORS]


def _component(package: dict[str, Any]) -> dict[str, Any]:
    hashes = {
        hash_key(str(item.get("algorithm", ""))): str(item.get("checksumValue", "")).lower()
        for item in package.get("checksums") or ()
        if isinstance(item, dict)
    }
    purl = next(
        (
            ref.get("referenceLocator")
            for ref in package.get("externalRefs") or ()
            if isinstance(ref, dict) and ref.get("referenceType") == "purl"
        ),
        None,
    )
    licenses = [
        str(package[key])
        for key in ("licenseConcluded", "licenseDeclared")
        if package.get(key) not in _NO_VALUE and package.get(key) is not None
    ]
    purpose = package.get("primaryPackagePurpose")
    return {
        "name": package.get("name"),
        "version": package.get("versionInfo"),
        "group": None,
        "type": purpose.lower() if isinstance(purpose, str) else None,
        "purl": purl,
        "bom_ref": package.get("SPDXID"),
        "hashes": hashes,
        "sha256": hashes.get("sha256"),
        "licenses": sorted(set(licenses)),
    }


def read(document: dict[str, Any], path: str) -> dict[str, Any]:
    version = document.get("spdxVersion")
    if not isinstance(version, str) or not version.startswith("SPDX-2."):
        raise EvidenceError(
            f"unsupported SPDX version {version!r} (supported: SPDX-2.2, SPDX-2.3 JSON)", path=path
        )
    errors = _missing_fields(document)
    packages = [p for p in document.get("packages") or () if isinstance(p, dict)]
    components = [_component(package) for package in packages]
    creators = (document.get("creationInfo") or {}).get("creators") or []
    return {
        "format": FORMAT,
        "spec_version": version.removeprefix("SPDX-"),
        "serialization": "json",
        "valid": not errors,
        "validation_errors": errors,
        "subject": None,
        "tools": sorted(c.removeprefix("Tool: ") for c in creators if str(c).startswith("Tool: ")),
        "component_count": len(components),
        "components": components,
        "models": [],
        "datasets": [c for c in components if c["type"] == "data"],
    }
