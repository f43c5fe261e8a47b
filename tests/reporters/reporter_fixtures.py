"""Fixtures of the reporters' tests (imported by each test module): results and snapshots.

``results-full.json`` is a real results file of examples/unsafe-release with every optional
section added (see fixtures/make_full_results.py); ``minimal_results`` is the same run with
every optional section taken out, as the foundation writes it. Both are validated against the
shipped results schema before a test sees them.

Snapshots live in snapshots/; after an intended change, rewrite them with
``GATEKEEPER_UPDATE_SNAPSHOTS=1 pytest tests/reporters`` and review the diff.
"""

from __future__ import annotations

import copy
import os
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from gatekeeper.jsonio import read_json
from gatekeeper.schemas import validation_errors

HERE = Path(__file__).parent
FULL = HERE / "fixtures" / "results-full.json"
SNAPSHOTS = HERE / "snapshots"
OPTIONAL = ("maturity", "exceptions", "baseline")


def valid(results: dict[str, Any]) -> dict[str, Any]:
    assert validation_errors(results, "results") == []
    return results


@pytest.fixture
def full_results() -> dict[str, Any]:
    return valid(read_json(FULL))


def strip_optional(results: dict[str, Any]) -> dict[str, Any]:
    """The results as a run without maturity scoring, exceptions or baseline writes them."""
    plain = copy.deepcopy(results)
    for key in OPTIONAL:
        plain.pop(key)
    for control in plain["controls"]:
        control.pop("waiver", None)
        control.pop("details", None)
        if control["outcome"] == "waived":  # back to what it was before the waiver
            missing = all(m["message"].startswith("no evidence (") for m in control["messages"])
            control["outcome"] = "no_evidence" if missing else "fail"
        for message in control["messages"] + control["warnings"]:
            message.pop("waived_by", None)
    counts = dict.fromkeys(plain["summary"], 0)
    for control in plain["controls"]:
        counts[control["outcome"]] += 1
    plain["summary"] = counts
    return plain


@pytest.fixture
def minimal_results(full_results) -> dict[str, Any]:
    return valid(strip_optional(full_results))


def assert_snapshot(name: str, text: str) -> None:
    path = SNAPSHOTS / name
    if os.environ.get("GATEKEEPER_UPDATE_SNAPSHOTS"):
        path.write_text(text, encoding="utf-8")
    assert path.is_file(), f"no snapshot {path}: run with GATEKEEPER_UPDATE_SNAPSHOTS=1"
    assert text == path.read_text(encoding="utf-8"), f"{name} differs from its snapshot"


@pytest.fixture
def snapshot():
    """``snapshot(name, text)``: the text must equal snapshots/<name>."""
    return assert_snapshot


def write_key_pair(folder: Path, seed: int = 7) -> tuple[Path, Path]:
    """An Ed25519 test key from a fixed seed: Ed25519 signatures are deterministic."""
    key = Ed25519PrivateKey.from_private_bytes(bytes([seed]) * 32)
    private, public = folder / f"vsa-{seed}.key", folder / f"vsa-{seed}.pub"
    private.write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    public.write_bytes(key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    return private, public


@pytest.fixture
def key_pair(tmp_path):
    """``key_pair(seed=7)``: the paths of a test key pair in PEM."""
    return lambda seed=7: write_key_pair(tmp_path, seed)
