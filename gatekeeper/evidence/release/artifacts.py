"""The release's own files: digest, size and serialization format of each.

The format is read from the bytes, not trusted from the name: a pickle renamed to
``.safetensors`` is still a pickle.
"""

from __future__ import annotations

import json
import os
import struct
import zipfile
from pathlib import Path
from typing import Any

from gatekeeper.config import ArtifactSpec
from gatekeeper.errors import EvidenceError
from gatekeeper.evidence.context import CollectContext
from gatekeeper.jsonio import open_regular, sha256_file

NAME = "artifacts"

# Pickle protocols 2-5 start with PROTO (0x80) and the protocol number.
_PICKLE_PROTOCOLS = {bytes([0x80, n]) for n in range(2, 6)}
_PICKLE_SUFFIXES = {".pkl", ".pickle"}
_TORCH_SUFFIXES = {".pt", ".pth", ".ckpt", ".bin"}
_MAX_SAFETENSORS_HEADER = 100 * 1024 * 1024


def detect_format(path: Path) -> str:
    """A short name for how the file is serialized; ``unknown`` when nothing matches."""
    try:
        with os.fdopen(open_regular(path), "rb") as stream:
            head = stream.read(16)
    except OSError as error:
        raise EvidenceError(f"cannot read artifact: {error.strerror}", path=path) from None
    suffix = path.suffix.lower()
    if head.startswith(b"PK\x03\x04"):
        return _zip_format(path)
    if head[:2] in _PICKLE_PROTOCOLS:
        if suffix == ".joblib":
            return "joblib"
        return "pytorch-pickle" if suffix in _TORCH_SUFFIXES else "pickle"
    if head.startswith(b"GGUF"):
        return "gguf"
    if head.startswith(b"\x89HDF\r\n\x1a\n"):
        return "hdf5"
    if head.startswith(b"\x93NUMPY"):
        return _numpy_format(path)
    if _is_safetensors(path, head):
        return "safetensors"
    if suffix == ".onnx":
        return "onnx"
    if suffix in _PICKLE_SUFFIXES:
        return "pickle"
    if suffix == ".joblib":
        return "joblib"
    return "unknown"


def _zip_format(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return "unknown"
    if any(name == "data.pkl" or name.endswith("/data.pkl") for name in names):
        return "pytorch-pickle"
    if any(name.endswith(".pkl") for name in names):
        return "pickle"
    if "config.json" in names and any(name.endswith(".weights.h5") for name in names):
        return "keras"
    return "zip"


def _numpy_format(path: Path) -> str:
    # An object array (dtype 'O') is stored as a pickle and unpickled by np.load.
    with path.open("rb") as stream:
        preamble = stream.read(12)
        if len(preamble) < 12:  # cut short: np.load cannot read it either
            return "unknown"
        # Format 1.0 stores the header's length in 2 bytes, later formats in 4.
        form, start = ("<H", 10) if preamble[6] == 1 else ("<I", 12)
        header_len = struct.unpack(form, preamble[8:start])[0]
        stream.seek(start)
        header = stream.read(min(header_len, 65536)).decode("latin-1")
    return "numpy-pickle" if "'descr': '|O'" in header or "'descr': 'O'" in header else "numpy"


def _is_safetensors(path: Path, head: bytes) -> bool:
    """safetensors: an 8-byte little-endian length, then a JSON object header."""
    if len(head) < 9:
        return False
    length = struct.unpack("<Q", head[:8])[0]
    if length <= 1 or length > _MAX_SAFETENSORS_HEADER or head[8:9] != b"{":
        return False
    with path.open("rb") as stream:
        stream.seek(8)
        header = stream.read(length)
    try:
        return isinstance(json.loads(header), dict)
    except (UnicodeDecodeError, ValueError):
        return False


def collect(specs: tuple[ArtifactSpec, ...], context: CollectContext) -> dict[str, Any]:
    artifacts = []
    for index, spec in enumerate(specs):
        for path in context.expand(spec.path, f"artifacts[{index}].path"):
            digest = sha256_file(path)
            context.record(path, digest, NAME)
            artifacts.append(
                {
                    "path": context.display_path(path),
                    "name": spec.name or path.name,
                    "kind": spec.kind,
                    "sha256": digest,
                    "size": path.stat().st_size,
                    # model-scan coverage by path: a scan must be newer than the file
                    "mtime_us": path.stat().st_mtime_ns // 1000,
                    "format": detect_format(path),
                }
            )
    return {"artifacts": artifacts}
