"""JSON in and out: orjson on the hot path, errors that name the file and the position."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import orjson

from gatekeeper.errors import EvidenceError, GatekeeperError


def read_bytes(path: Path, error_type: type[GatekeeperError] = EvidenceError) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise error_type("file not found", path=path) from None
    except IsADirectoryError:
        raise error_type("is a directory, expected a file", path=path) from None
    except OSError as error:
        raise error_type(f"cannot read: {error.strerror}", path=path) from None


def parse_json(
    data: bytes, path: Path | str, error_type: type[GatekeeperError] = EvidenceError
) -> Any:
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError as error:
        raise error_type(f"malformed JSON: {error}", path=path) from None


def decode_text(
    data: bytes, path: Path | str, error_type: type[GatekeeperError] = EvidenceError
) -> str:
    """UTF-8 text (a byte-order mark is dropped); anything else is an error naming the file."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise error_type(f"not UTF-8 text: {error}", path=path) from None


def read_json(path: Path, error_type: type[GatekeeperError] = EvidenceError) -> Any:
    return parse_json(read_bytes(path, error_type), path, error_type)


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path, error_type: type[GatekeeperError] = EvidenceError) -> str:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as stream:
            for block in iter(lambda: stream.read(1 << 20), b""):
                digest.update(block)
    except FileNotFoundError:
        raise error_type("file not found", path=path) from None
    except OSError as error:
        raise error_type(f"cannot read: {error.strerror}", path=path) from None
    return digest.hexdigest()


def dumps(document: Any, *, pretty: bool = True) -> bytes:
    """Serialize deterministically: sorted keys, so equal documents are equal bytes."""
    option = orjson.OPT_SORT_KEYS | (orjson.OPT_INDENT_2 if pretty else 0)
    text = orjson.dumps(document, option=option)
    return text + b"\n" if pretty else text
